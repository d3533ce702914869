"""Render the shards on a Dask cluster (``papercat build --cluster tcp://HOST:8786``).

The workers need papercat, MkDocs and the theme installed (``pip install papercat[cluster]``),
nothing else: the configuration travels once to every worker as data (``Client.scatter``), the
shards of Markdown go out as task arguments and the rendered pages come back as results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ...errors import PapercatError
from .worker import RenderedPage, ShardItem, SitePack, render_shard

SHARDS_PER_WORKER = 4


def check_cluster(address: str) -> None:
    """Refuse, before the build starts, a ``--cluster`` that cannot work: no Dask installed, or not a scheduler address."""
    try:
        from distributed.comm.addressing import parse_address, parse_host_port
    except ImportError:
        raise PapercatError("--cluster needs Dask's distributed scheduler: pip install 'papercat[cluster]'") from None
    try:
        scheme, location = parse_address(address)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except ValueError as err:
        raise PapercatError(f"--cluster {address!r} is not the address of a Dask scheduler ({err}); "
                            "give it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786") from None


def render_on_cluster(
    address: str,
    pack: SitePack,
    uris: Sequence[str],
    read: Callable[[str], ShardItem],  # a page's (src_uri, Markdown, related papers' HTML), read as it is sent
    shards: Callable[[Sequence[str], int], list[list[str]]],
    *,
    client: Any = None,
) -> Iterator[RenderedPage]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise PapercatError(
            "--cluster needs Dask's distributed scheduler: pip install 'papercat[cluster]'"
        ) from None
    own = client is None
    if own:
        try:
            client = Client(address, timeout="30s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as err:
            raise PapercatError(f"cannot reach the Dask scheduler at {address}: {err}") from None
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        [packed] = client.scatter([pack], broadcast=True)
        queue = iter(shards(uris, workers * SHARDS_PER_WORKER * 4))

        def submit() -> Any:
            shard = next(queue, None)
            if shard is None:
                return None
            return client.submit(render_shard, packed, [read(uri) for uri in shard], pure=False)

        # A few shards per worker in flight: the Markdown is read as it is sent, not all at once.
        first = [f for f in (submit() for _ in range(workers * 2)) if f is not None]
        running = as_completed(first)  # type: ignore[no-untyped-call]
        for future in running:
            following = submit()
            if following is not None:
                running.add(following)  # type: ignore[no-untyped-call]
            yield from future.result()
            future.release()
    finally:
        if own:
            client.close()
