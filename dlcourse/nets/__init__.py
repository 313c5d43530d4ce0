"""PyTorch networks used by the chapters, one module per architecture (mlp, lenet, gan, ...).

Every network is a plain ``torch.nn.Module``; put it on a device with ``.to(get_device())``.
"""
