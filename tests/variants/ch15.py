"""Plausible mistakes for chapter 15's exercises (autoencoders and PCA)."""

_PCA = '''
def pca_svd(X, n_components):
    mu = X.mean(axis=0)
    U, S, Vt = np.linalg.svd({centred}, full_matrices=False)
    return {components}, {variance}, mu
'''


def _pca(centred: str = "X - mu", components: str = "Vt[:n_components]",
         variance: str = "S[:n_components] ** 2 / (len(X) - 1)") -> str:
    return _PCA.format(centred=centred, components=components, variance=variance)


_AE = '''
def autoencoder_layers(n_in, hidden, n_code):
    sizes = [n_in] + list(hidden) + [n_code]
    enc = []
    for a, b in zip(sizes[:-2], sizes[1:-1]):
        enc += [torch.nn.Linear(a, b), {act}]
    enc += [torch.nn.Linear(sizes[-2], sizes[-1])]{code_act}
    back = {back}
    dec = []
    for a, b in zip(back[:-2], back[1:-1]):
        dec += [torch.nn.Linear(a, b), {act}]
    dec += [torch.nn.Linear(back[-2], back[-1])]{out_act}
    return torch.nn.Sequential(*enc), torch.nn.Sequential(*dec)
'''


def _ae(act: str = "torch.nn.ReLU()", code_act: str = "", back: str = "sizes[::-1]",
        out_act: str = "\n    dec += [torch.nn.Sigmoid()]") -> str:
    return _AE.format(act=act, code_act=code_act, back=back, out_act=out_act)


_NOISE = '''
class GaussianNoise(torch.nn.Module):
    def __init__(self, std):
        super().__init__()
        self.std = std{init_extra}

    def forward(self, x):
        if {condition}:
            return {noisy}
        return x
'''


def _noise(condition: str = "self.training", noisy: str = "x + self.std * torch.randn_like(x)",
           init_extra: str = "") -> str:
    return _NOISE.format(condition=condition, noisy=noisy, init_extra=init_extra)


VARIANTS = {
    "15.pca_svd": [
        ("forgets to centre the data", _pca(centred="X")),
        ("divides by n instead of n − 1", _pca(variance="S[:n_components] ** 2 / len(X)")),
        ("returns the singular values as variances", _pca(variance="S[:n_components]")),
        ("takes columns of Vt instead of rows", _pca(components="Vt[:, :n_components].T")),
        ("takes the smallest components", _pca(components="Vt[::-1][:n_components]",
                                               variance="(S ** 2 / (len(X) - 1))[::-1]"
                                                        "[:n_components]")),
    ],
    "15.autoencoder": [
        ("no sigmoid at the output", _ae(out_act="")),
        ("ReLU on the code", _ae(code_act="\n    enc += [torch.nn.ReLU()]")),
        ("tanh instead of ReLU", _ae(act="torch.nn.Tanh()")),
        ("decoder not mirrored (same order as the encoder)",
         _ae(back="[sizes[-1]] + sizes[1:-1] + [sizes[0]]")),
        ("no activations in the hidden layers (a linear autoencoder)",
         _ae(act="torch.nn.Identity()")),
    ],
    "15.gaussian_noise": [
        ("noise also in eval mode", _noise(condition="True")),
        ("no noise in training, noise in eval mode", _noise(condition="not self.training")),
        ("uses the variance as the scale", _noise(noisy="x + self.std ** 2 * torch.randn_like(x)")),
        ("uniform noise with the right spread",
         _noise(noisy="x + self.std * (2 * torch.rand_like(x) - 1) * 3 ** 0.5")),
        ("noise proportional to x", _noise(noisy="x * (1 + self.std * torch.randn_like(x))")),
        ("the same noise on every call",
         _noise(init_extra="\n        self.noise = None",
                noisy="x + self.std * self._noise(x)") +
         "\n    def _noise(self, x):\n        if self.noise is None or self.noise.shape != x.shape:"
         "\n            self.noise = torch.randn_like(x)\n        return self.noise\n"),
        ("adds the noise in place", _noise(noisy="x.add_(self.std * torch.randn_like(x))")),
    ],
}
