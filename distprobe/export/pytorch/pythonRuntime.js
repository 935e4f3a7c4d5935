// The fixed part of every generated module: the masked softmax and safetensors I/O with nothing but
// torch and the standard library (8-byte little-endian header length, JSON header, raw little-endian data).
export const PYTHON_RUNTIME = `
def _masked_softmax(scores, allowed):
    """Softmax over the last axis where allowed, 0 elsewhere; a query that sees no key gets all zeros."""
    blocked = scores.masked_fill(~allowed, torch.finfo(scores.dtype).min)
    return torch.softmax(blocked, dim=-1) * allowed


def save_safetensors(tensors, path):
    """Writes {name: tensor} as a safetensors file of F32 tensors."""
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu", torch.float32).contiguous()
        data = array.array("f", t.flatten().tolist())
        if sys.byteorder != "little":
            data.byteswap()
        raw = data.tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)


def load_safetensors(path):
    """Reads a safetensors file of F32 tensors into {name: tensor}."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: not a safetensors file (only {len(blob)} bytes)")
    (n,) = struct.unpack("<Q", blob[:8])
    if 8 + n > len(blob):
        raise ValueError(f"{path}: header length {n} runs past the end of the file ({len(blob)} bytes)")
    header = json.loads(blob[8 : 8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name!r} has dtype {info['dtype']}, only F32 is read")
        begin, end = info["data_offsets"]
        data = array.array("f")
        data.frombytes(blob[8 + n + begin : 8 + n + end])
        if sys.byteorder != "little":
            data.byteswap()
        tensors[name] = torch.tensor(data.tolist(), dtype=torch.float32).reshape(info["shape"])
    return tensors
`;
export const PYTHON_LOAD_SAVE = `
    def save(self, path):
        """Writes the weights (the state dict) as safetensors; importPyTorchWeights reads it back."""
        save_safetensors(self.state_dict(), path)

    def load(self, path):
        """Reads weights written by exportPyTorch or Net.save, checking names and shapes."""
        tensors = load_safetensors(path)
        expected = self.state_dict()
        missing, extra = sorted(set(expected) - set(tensors)), sorted(set(tensors) - set(expected))
        if missing or extra:
            raise ValueError(f"Net.load: {path} does not fit this net: missing {missing}, unexpected {extra}")
        for name, t in tensors.items():
            if tuple(t.shape) != tuple(expected[name].shape):
                raise ValueError(f"Net.load: {path}: tensor {name!r} has shape {list(t.shape)}, expected {list(expected[name].shape)}")
        self.load_state_dict(tensors)
        return self
`;
