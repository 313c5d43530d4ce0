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


_TRANSFER = '''
def freeze_and_replace_head(model, num_classes, n_new=1, fine_tune=False):
    linears = [i for i, layer in enumerate(model) if isinstance(layer, torch.nn.Linear)]
    {before}
    old = model[linears[-1]]
    model[linears[-1]] = torch.nn.Linear(old.in_features, {outputs}{bias})
    for i in {reset}:
        model[i].reset_parameters()
    new = set(linears[-n_new:])
    for i, layer in enumerate(model):
        for p in layer.parameters():
            p.requires_grad = {trains}
    {after}
    return {returned}
'''


def _transfer(before: str = "", outputs: str = "num_classes", bias: str = "",
              reset: str = "linears[-n_new:-1]", trains: str = "fine_tune or i in new",
              after: str = "", returned: str = "[p for p in model.parameters() if p.requires_grad]"
              ) -> str:
    return _TRANSFER.format(before=before, outputs=outputs, bias=bias, reset=reset,
                            trains=trains, after=after, returned=returned)


VARIANTS["15.transfer"] = [
    ("freezes every parameter after replacing the head (the new head cannot learn)",
     _transfer(after="if not fine_tune:\n        for p in model.parameters():\n"
                     "            p.requires_grad = False")),
    ("never freezes anything", _transfer(trains="True")),
    ("keeps the old number of outputs", _transfer(outputs="old.out_features")),
    ("re-initialises the first layers instead of the ones below the head",
     _transfer(reset="linears[:n_new - 1]")),
    ("returns every parameter, frozen ones included",
     _transfer(returned="list(model.parameters())")),
    ("fine_tune=True re-initialises the whole body (that is training from scratch)",
     _transfer(reset="(linears[:-1] if fine_tune else linears[-n_new:-1])")),
    ("freezes the weights but not the biases",
     _transfer(trains="fine_tune or i in new or p.ndim == 1")),
    ("the new output layer has no bias", _transfer(bias=", bias=False")),
    ("re-initialises one layer too many", _transfer(reset="linears[-n_new - 1:-1]")),
]


_KL = '''
def kl_to_standard_normal(mu, logvar):
    return {body}
'''


def _kl(body: str) -> str:
    return _KL.format(body=body)


VARIANTS["15.vae_kl"] = [
    ("forgets the ½", _kl("(mu ** 2 + logvar.exp() - logvar - 1).sum(dim=1)")),
    ("reads logvar as log σ", _kl("0.5 * (mu ** 2 + (2 * logvar).exp() - 2 * logvar - 1)"
                                  ".sum(dim=1)")),
    ("averages over the latent dimensions",
     _kl("0.5 * (mu ** 2 + logvar.exp() - logvar - 1).mean(dim=1)")),
    ("sums over the whole batch", _kl("0.5 * (mu ** 2 + logvar.exp() - logvar - 1).sum()")),
    ("forgets the − 1", _kl("0.5 * (mu ** 2 + logvar.exp() - logvar).sum(dim=1)")),
    ("the wrong sign", _kl("-0.5 * (mu ** 2 + logvar.exp() - logvar - 1).sum(dim=1)")),
    ("KL in the other direction, KL(p ‖ q)",
     _kl("0.5 * ((1 + mu ** 2) / logvar.exp() + logvar - 1).sum(dim=1)")),
    ("σ instead of σ² for the variance term",
     _kl("0.5 * (mu ** 2 + (0.5 * logvar).exp() - logvar - 1).sum(dim=1)")),
]
