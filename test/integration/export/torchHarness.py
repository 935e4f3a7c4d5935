"""Runs modules made by exportPyTorch for test/integration/export/pytorch.test.ts, all cases in one process.

python3 torchHarness.py job.json result.json; for each case: load the weights, predict in eval mode,
take one SGD step in train mode on a fixed random linear loss, Net.save, predict again.
"""
import importlib.util
import json
import sys

import torch


def outputs_of(y):
    return y if isinstance(y, dict) else {"": y}


def main(job_path, result_path):
    with open(job_path) as f:
        job = json.load(f)
    results = {}
    for case in job["cases"]:
        spec = importlib.util.spec_from_file_location(case["module"], case["code"])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        torch.manual_seed(case["seed"])
        net = module.Net().load(case["weights"])
        x = torch.tensor(case["x"], dtype=torch.float32).reshape(case["shape"])
        mask = torch.tensor(case["mask"], dtype=torch.float32).reshape(case["shape"][:2])
        with torch.no_grad():
            before = outputs_of(net.eval()(x, mask))
        net.train()
        optimizer = torch.optim.SGD(net.parameters(), lr=case["learnRate"])
        y = outputs_of(net(x, mask))
        loss = sum((o * torch.randn(o.shape)).sum() for o in y.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        net.save(case["saved"])
        with torch.no_grad():
            after = outputs_of(net.eval()(x, mask))
        results[case["name"]] = {
            "before": {k: v.flatten().tolist() for k, v in before.items()},
            "after": {k: v.flatten().tolist() for k, v in after.items()},
            "dims": {k: list(v.shape) for k, v in after.items()},
        }
    with open(result_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
