#!/usr/bin/env python3
"""Goes on training a net exported by attention-layers' exportPyTorch with DistributedDataParallel.

    /usr/bin/python3 tools/pytorch-interop/train_ddp.py --module net.py --weights net.safetensors \
        --data data.safetensors --out trained.safetensors --steps 20 --processes 2

Runs --processes CPU processes on this machine (gloo backend, rendezvous on 127.0.0.1); each takes its
share of every mini-batch, DDP averages the gradients, and rank 0 writes the weights with Net.save, which
importPyTorchWeights reads back. With RANK and WORLD_SIZE in the environment (set by torchrun, or by
hand with MASTER_ADDR and MASTER_PORT) the script is one worker of that group instead, so it runs on
several machines, one command per process:

    RANK=0 WORLD_SIZE=2 MASTER_ADDR=10.0.0.1 MASTER_PORT=29500 python3 tools/pytorch-interop/train_ddp.py ...   # machine 1
    RANK=1 WORLD_SIZE=2 MASTER_ADDR=10.0.0.1 MASTER_PORT=29500 python3 tools/pytorch-interop/train_ddp.py ...   # machine 2

--data is a safetensors file (load_safetensors of the exported module reads it) with
  x    [N, T, C]  padded sequences
  mask [N, T]     1 = data, 0 = padding
  y    [N]        class indices (--loss crossentropy: the net outputs probabilities, as softmaxLayer does)
       or the targets, shaped like the net's output (--loss mse)
Prints one JSON line per step: {"step", "loss"} (the mean over all processes).
"""
import argparse
import importlib.util
import json
import os
import socket
import sys

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel


def load_module(path):
    spec = importlib.util.spec_from_file_location("exported_net", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def loss_of(kind, output, target):
    if kind == "crossentropy":
        return torch.nn.functional.nll_loss(torch.log(output.clamp_min(1e-12)), target.long())
    return torch.nn.functional.mse_loss(output, target)


def worker(rank, args):
    torch.set_num_threads(1)  # one thread per process: the processes are the parallelism
    if args.torchrun:  # torchrun set RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT
        dist.init_process_group("gloo", init_method="env://")
    else:
        dist.init_process_group("gloo", init_method=f"tcp://{args.master_addr}:{args.port}", rank=rank, world_size=args.processes)
    torch.manual_seed(args.seed)  # same initial state everywhere (the weights come from the file anyway)
    module = load_module(args.module)
    model = DistributedDataParallel(module.Net().load(args.weights).train())
    data = module.load_safetensors(args.data)
    x, mask, y = data["x"], data["mask"], data["y"]
    optimizer = torch.optim.SGD(model.parameters(), lr=args.learn_rate, momentum=args.momentum)
    generator = torch.Generator().manual_seed(args.seed)  # every rank draws the same batches
    for step in range(args.steps):
        batch = torch.randperm(x.shape[0], generator=generator)[: args.batch_size]
        mine = batch[rank :: args.processes]  # this process's share
        loss = loss_of(args.loss, model(x[mine], mask[mine]), y[mine])
        optimizer.zero_grad()
        loss.backward()  # DDP all-reduces (averages) the gradients here
        optimizer.step()
        mean = loss.detach().clone()
        dist.all_reduce(mean)
        if rank == 0:
            print(json.dumps({"step": step + 1, "loss": mean.item() / args.processes}), flush=True)
    # the replicas must agree: compare every parameter with rank 0's
    flat = torch.cat([p.detach().flatten() for p in model.module.parameters()])
    reference = flat.clone()
    dist.broadcast(reference, 0)
    if not torch.equal(flat, reference):
        raise RuntimeError(f"rank {rank}: parameters differ from rank 0's after training")
    if rank == 0:
        model.module.save(args.out)
        print(json.dumps({"saved": args.out, "processes": args.processes}), flush=True)
    dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--module", required=True, help="the .py written from exportPyTorch(net).code")
    parser.add_argument("--weights", required=True, help="the .safetensors written from exportPyTorch(net).weights")
    parser.add_argument("--data", required=True, help="safetensors with x, mask, y")
    parser.add_argument("--out", required=True, help="where rank 0 writes the trained weights (Net.save)")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learn-rate", type=float, default=0.05)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--loss", choices=["crossentropy", "mse"], default="crossentropy")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--master-addr", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="rendezvous port (default: a free one)")
    args = parser.parse_args()
    args.torchrun = "RANK" in os.environ and "WORLD_SIZE" in os.environ
    if args.torchrun:  # one process per torchrun worker, possibly on several machines
        args.processes = int(os.environ["WORLD_SIZE"])
        worker(int(os.environ["RANK"]), args)
        return
    args.port = args.port or free_port()
    if sys.platform.startswith("linux") and args.master_addr == "127.0.0.1":
        os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")  # all processes on this machine: loopback
    mp.spawn(worker, args=(args,), nprocs=args.processes, join=True)


if __name__ == "__main__":
    main()
