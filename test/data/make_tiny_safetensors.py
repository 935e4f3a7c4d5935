"""Generate test/data/tiny.safetensors with the reference Python `safetensors` + PyTorch.

Run once (the output is committed; CI does not need Python):

    python3 -m venv --system-site-packages /tmp/stvenv   # Debian python3-torch provides torch
    /tmp/stvenv/bin/pip install safetensors
    /tmp/stvenv/bin/python test/data/make_tiny_safetensors.py

Used for the fixture: safetensors 0.8.0, torch 1.13 (Debian bookworm python3-torch).
Metadata has a single key so the header bytes do not depend on hash-map iteration order.
"""

from pathlib import Path

import torch
from safetensors.torch import save_file

tensors = {
    # 2x3, exact binary fractions
    "weight": (torch.arange(6, dtype=torch.float32).reshape(2, 3) * 0.5 - 1.0),
    # values that need float32 rounding, plus -0.0 and an infinity
    "bias": torch.tensor([0.1, -2.5, 3.0e-5, -0.0, float("inf")], dtype=torch.float32),
    # 0-rank scalar
    "scale": torch.tensor(3.25, dtype=torch.float32),
    # empty tensor: shape [0, 3], no bytes in the buffer
    "empty": torch.zeros((0, 3), dtype=torch.float32),
    # dotted name, 4x2 = i / 8
    "layers.0.attn.q": (torch.arange(8, dtype=torch.float32) / 8.0).reshape(4, 2),
}

out = Path(__file__).with_name("tiny.safetensors")
save_file(tensors, str(out), metadata={"format": "pt"})
print(out, out.stat().st_size, "bytes")
