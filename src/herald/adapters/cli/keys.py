"""``herald keys``: the OpenPGP key that signs CSAF documents (CSAF 2.0 requirements 19, 20).

The key lives in herald's GnuPG home (``HERALD_GNUPG_HOME``, default
``$HERALD_DATA_DIR/gnupg``). ``generate`` makes an Ed25519 key without a passphrase,
for tests and demos; a production key is better made and kept by the PSIRT's own
process and imported into that home (``gpg --homedir … --import``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from herald.adapters.signing import OpenPgpSigner
from herald.config import Settings
from herald.domain.errors import NotFound

DEFAULT_NAME = "herald CSAF signing key (demo)"

keys_app = typer.Typer(help="The OpenPGP key that signs CSAF documents.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")


def _signer() -> OpenPgpSigner:
    settings = Settings.from_environment()
    return OpenPgpSigner(settings.signing_home, settings.openpgp_fingerprint)


@keys_app.command("generate")
def generate(
    name: Annotated[str, typer.Option("--name", help="The key's user name.")] = DEFAULT_NAME,
    email: Annotated[
        str | None, typer.Option("--email", help="The key's email address (optional).")
    ] = None,
    keep_existing: Annotated[
        bool,
        typer.Option(
            "--keep-existing", help="Succeed without a new key when the home already holds one."
        ),
    ] = False,
) -> None:
    """Make an Ed25519 signing key without a passphrase in herald's GnuPG home (tests, demos).

    Exit status 4 when the home already holds a secret key (unless --keep-existing).
    """
    signer = _signer()
    try:
        if keep_existing:
            existing = signer.key()
            if existing is not None:
                typer.echo(f"signing key already present: {existing.fingerprint}")
                return
        key = signer.generate(name, email)
    finally:
        signer.close()
    typer.echo(f"signing key {key.fingerprint} ({key.user_id}) in {signer.home}")


@keys_app.command("show")
def show(
    public: Annotated[
        bool, typer.Option("--public", help="Print the ASCII-armoured public key.")
    ] = False,
) -> None:
    """Show the key CSAF documents are signed with (exit status 3 when there is none)."""
    signer = _signer()
    try:
        key = signer.key()
    finally:
        signer.close()
    if key is None:
        raise NotFound(f"no signing key in {signer.home} (make one: herald keys generate)")
    if public:
        typer.echo(key.public_key.decode("ascii"), nl=False)
        return
    typer.echo(f"fingerprint: {key.fingerprint}")
    typer.echo(f"user id:     {key.user_id}")
    typer.echo(f"created:     {key.created.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    typer.echo(f"home:        {signer.home}")
