"""Imports modules that exportPyTorch made from nets with hostile names (test/hostileNames.test.ts) and runs them.

python3 hostileHarness.py job.json result.json: for each case, import the module, load its weights, run forward
in eval mode on the given inputs; report the outputs, the module's docstring and Net's input and output names.
"""
import importlib.util
import json
import sys

import torch


def main(job_path, result_path):
    with open(job_path) as f:
        job = json.load(f)
    results = {}
    for i, case in enumerate(job["cases"]):
        spec = importlib.util.spec_from_file_location(f"hostile{i}", case["code"])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        net = module.Net().load(case["weights"]).eval()
        args = [torch.tensor(a["data"], dtype=torch.float32).reshape(a["shape"]) for a in case["inputs"]]
        with torch.no_grad():
            y = net(*args)
        outputs = y if isinstance(y, dict) else {"": y}
        results[case["name"]] = {
            "doc": module.__doc__,
            "input_names": net.input_names,
            "output_names": net.output_names,
            "outputs": {k: {"data": v.flatten().tolist(), "shape": list(v.shape)} for k, v in outputs.items()},
        }
    with open(result_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
