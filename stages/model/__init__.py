"""Model-scored stages: transformers from local safetensors directories, on GPU or CPU."""
