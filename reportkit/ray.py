"""Summarise a corpus on Ray Data, past one machine. Dataset of paths (or file bytes) → Dataset of report rows.

``summarize_dataset`` runs the whole per-document pipeline (``reportkit.summarize``) in a pool of
Ray actors; each actor builds its Settings and its model client once. The provider's request cap
is one number for the whole cluster: ``Settings.concurrency`` is the total, and each of the pool's
N actors may have ``max(1, total // N)`` HTTP requests in flight (see ``request_share``), enforced
by the actor process's request scheduler (``reportkit.llm.scheduler``, the same one a local batch
shares between its documents), whose limit is the actor's share. A pool larger than the total is
shrunk to the total for the LLM engine, so 40 actors never send 40 × the cap.

Needs the optional extra ``reportkit[ray]``; ``import reportkit`` never imports ray.

    >>> import ray, reportkit.ray as rkray                                    # doctest: +SKIP
    >>> files = ray.data.read_binary_files("reports/", include_paths=True)   # doctest: +SKIP
    >>> reports = rkray.summarize_dataset(files, engine="rules")             # doctest: +SKIP
    >>> rkray.metric_rows(reports).write_parquet("out/metrics")              # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import ConfigError, MissingExtraError, ReportkitError

if TYPE_CHECKING:
    import pyarrow
    import ray.data

    from .batch import BatchItem
    from .settings import Settings

logger = logging.getLogger("reportkit")

REPORT_COLUMNS = ("path", "source_sha256", "report", "error")
"""The columns of ``summarize_dataset``'s output, one row per input."""

PoolSize = int | tuple[int, int]

_ADDRESS = re.compile(r"auto|local|ray://\S+|[A-Za-z0-9.\-]+:\d{2,5}|\[[0-9A-Fa-f:]+\]:\d{2,5}")
_INT_COLUMNS = frozenset({"report_year", "position", "span_start", "span_end"})
_FLOAT_COLUMNS = frozenset({"value", "normalized_value"})


def _ray() -> Any:
    try:
        import ray
        import ray.data  # Ray Data is an extra of the ray package: check it is there too
    except ImportError as exc:
        raise MissingExtraError("ray", what="summarising on Ray") from exc
    return ray


def require_ray() -> None:
    """Raise MissingExtraError (``pip install 'reportkit[ray]'``) unless Ray Data can be imported."""
    _ray()


def looks_like_address(value: str) -> bool:
    """True for what ``ray.init(address=...)`` takes (``auto``, ``ray://head:10001``, ``host:6379``),
    False for a file or folder name: ``--ray`` on the command line takes an optional ADDRESS.

    Example:
        >>> [looks_like_address(v) for v in ("auto", "ray://head:10001", "10.0.0.5:6379", "seeds/", "a.txt")]
        [True, True, True, False, False]
    """
    return bool(_ADDRESS.fullmatch(value))


def request_share(total: int, actors: int) -> int:
    """In-flight requests one actor may send when ``actors`` share a cluster-wide cap of ``total``.

    Example:
        >>> request_share(8, 3), request_share(8, 8), request_share(2, 5)
        (2, 1, 1)
    """
    return max(1, total // max(1, actors))


@dataclass(frozen=True)
class _Pool:
    """How many actors, what each may take from the cluster, and its share of the request cap."""

    min_size: int
    max_size: int
    num_cpus: float
    share: int
    batch_size: int


def _plan(engine: str, settings: "Settings", concurrency: PoolSize | None, cluster_cpus: float) -> _Pool:
    """Size the actor pool.

    Actors ask for a fraction of a CPU so that the pool leaves one CPU free for the read tasks
    upstream (``read_binary_files``): with every CPU held by actors, Ray Data could never schedule
    a read and the job would wait forever.
    """
    if isinstance(concurrency, tuple):
        low, high = concurrency
    else:
        low = high = int(concurrency) if concurrency else max(1, int(cluster_cpus))
    if not 1 <= low <= high:
        raise ConfigError(f"concurrency={concurrency!r}: give a pool size >= 1, or (min, max) with 1 <= min <= max")
    share = 1
    if engine == "llm":
        total = settings.concurrency
        if high > total:
            logger.info("reportkit.ray: %d actors for a cap of %d requests: using %d actors", high, total, total)
            low, high = min(low, total), total
        share = request_share(total, high)
    spare = max(cluster_cpus - 1.0, cluster_cpus / 2) if cluster_cpus > 0 else 1.0
    num_cpus = math.floor(min(1.0, spare / high) * 1000) / 1000 or 0.001
    # one document per batch for the CPU-bound rules engine (even spreading); for the LLM engine a
    # batch is what one actor keeps in flight, each document waiting on the actor's request slots
    return _Pool(low, high, num_cpus, share, share if engine == "llm" else 1)


def summarize_dataset(
    ds: "ray.data.Dataset",
    *,
    engine: Literal["auto", "rules", "llm"] = "auto",
    settings: "Settings | None" = None,
    concurrency: PoolSize | None = None,
) -> "ray.data.Dataset":
    """Summarise every document of a Ray Dataset in a pool of actors.

    Args:
        ds: a Dataset with a ``path`` column (files readable on every worker), or the ``bytes``
            and ``path`` columns of ``ray.data.read_binary_files(..., include_paths=True)``
            (the bytes are decoded by the loader for the suffix of ``path``).
        engine: ``auto``, ``rules`` or ``llm``, resolved once here, on the driver, as
            ``reportkit.summarize`` resolves it.
        settings: shared by every actor (default ``Settings.from_env()`` on the driver, so the
            workers' environment does not matter). ``settings.concurrency`` is the request cap
            of the whole cluster; the response cache is ``settings.cache_url`` when set (one
            cache for every node), else ``settings.cache_dir`` on each node's disk.
        concurrency: actors in the pool, or ``(min, max)`` for an autoscaling pool (the request
            share is computed for ``max``); default one per CPU of the cluster.

    Returns:
        A lazy Dataset with one row per input: ``path``, ``source_sha256``, ``report`` (the
        Report as JSON) and ``error`` (None, or ``"ClassName: message"``). A bad input is a row
        with an error, never a failed job.

    Raises:
        ConfigError: the engine cannot run (no model configured for ``llm``), or the pool size is
            invalid; nothing is scheduled then.
        MissingExtraError: ray is not installed (``pip install 'reportkit[ray]'``).
    """
    ray = _ray()
    from .api import _settings, choose_engine

    chosen = choose_engine(engine, settings).engine
    resolved = _settings(settings)
    # only a schema Ray already knows: fetching one would run the upstream reads once more
    known = ds.columns(fetch_if_missing=False)
    if known is not None and "path" not in known:
        raise _no_path(known)
    pool = _plan(chosen, resolved, concurrency, _cluster_cpus(ray))
    logger.info("reportkit.ray: %s engine, %d-%d actors, %.3f CPU each, %d request(s) in flight per actor",
                chosen, pool.min_size, pool.max_size, pool.num_cpus, pool.share)
    strategy = ray.data.ActorPoolStrategy(min_size=pool.min_size, max_size=pool.max_size)
    return ds.map_batches(
        _Summarizer,
        # fields, not the object: each actor builds its Settings with the reportkit it has installed
        fn_constructor_kwargs={"engine": chosen, "settings": resolved.model_dump(), "share": pool.share},
        batch_format="pyarrow",
        batch_size=pool.batch_size,
        compute=strategy,
        num_cpus=pool.num_cpus,
    )


def _cluster_cpus(ray: Any) -> float:
    if not ray.is_initialized():
        ray.init()  # what Ray Data would do on first execution; needed here to size the pool
    return float(ray.cluster_resources().get("CPU", 1.0))


class _Summarizer:
    """One Ray actor: Settings built once (``concurrency`` = its share of the cap), then documents batch by batch."""

    def __init__(self, engine: str, settings: dict[str, Any], share: int) -> None:
        from .settings import Settings

        self.engine = engine
        self.share = share
        self.settings = Settings(**{**settings, "concurrency": share})
        # no client of its own: every request of this process takes a slot of the scheduler for
        # (endpoint, share), so the actor's documents and chunks together stay within its share
        self.client = None
        self._scratch = tempfile.mkdtemp(prefix="reportkit-ray-")
        self._pool = ThreadPoolExecutor(max_workers=share, thread_name_prefix="reportkit-ray") if share > 1 else None

    def __call__(self, batch: "pyarrow.Table") -> "pyarrow.Table":
        if "path" not in batch.column_names:
            raise _no_path(batch.column_names)
        paths = [str(p) for p in batch.column("path").to_pylist()]
        data = batch.column("bytes").to_pylist() if "bytes" in batch.column_names else [None] * len(paths)
        if self._pool is None:
            rows = [self.one(p, d) for p, d in zip(paths, data)]
        else:
            rows = list(self._pool.map(self.one, paths, data))
        return _table(rows)

    def one(self, path: str, data: bytes | None) -> dict[str, Any]:
        """The output row of one document; every failure becomes the row's ``error``."""
        from .api import summarize

        digest: str | None = None
        try:
            doc = self._load(path, data)
            digest = doc.sha256
            report = summarize(doc, engine=self.engine, settings=self.settings, client=self.client)  # type: ignore[arg-type]
            return {"path": path, "source_sha256": report.meta.source_sha256 or digest, "report": report.model_dump_json(), "error": None}
        except ReportkitError as exc:
            message = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # a bug on one document must not fail the job and lose the others
            logger.exception("reportkit.ray: unexpected error on %s", path)
            message = f"{type(exc).__name__}: unexpected error: {exc}"
        return {"path": path, "source_sha256": digest or _digest(data), "report": None, "error": message}

    def _load(self, path: str, data: bytes | None) -> Any:
        """Read the file, or decode its bytes through the loader for its suffix, as ``load`` does."""
        from . import cleaning, loading

        if data is None:
            return cleaning.with_boilerplate(loading.read(path))
        folder = tempfile.mkdtemp(dir=self._scratch)
        name = Path(path).name or "input"
        staged = os.path.join(folder, name)
        try:
            with open(staged, "wb") as fh:
                fh.write(data)
            try:
                doc = loading.read(staged)
            except ReportkitError as exc:
                _rename(exc, staged, path)
                raise
            return cleaning.with_boilerplate(dataclasses.replace(doc, source=path))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def __del__(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)
        shutil.rmtree(self._scratch, ignore_errors=True)


def _no_path(columns: Iterable[str]) -> ConfigError:
    return ConfigError(
        f"summarize_dataset needs a 'path' column (found {sorted(columns)}): use "
        "ray.data.read_binary_files(..., include_paths=True) or ray.data.from_items([{'path': ...}])"
    )


def _rename(exc: ReportkitError, staged: str, path: str) -> None:
    """Say the input's path, not the staging file's, in the error the user will read."""
    exc.args = tuple(a.replace(staged, path) if isinstance(a, str) else a for a in exc.args)
    if getattr(exc, "path", None) == staged:
        exc.path = path  # type: ignore[attr-defined]


def _digest(data: bytes | None) -> str | None:
    import hashlib

    return hashlib.sha256(data).hexdigest() if data is not None else None


def _table(rows: list[dict[str, Any]]) -> "pyarrow.Table":
    import pyarrow as pa

    schema = pa.schema([(name, pa.string()) for name in REPORT_COLUMNS])
    return pa.Table.from_pylist(rows, schema=schema)


# --- the CLI's batch on Ray --------------------------------------------------------------------


def iter_summaries(
    paths: Iterable["str | os.PathLike[str]"],
    *,
    engine: Literal["auto", "rules", "llm"] = "auto",
    settings: "Settings | None" = None,
    concurrency: PoolSize | None = None,
    address: str | None = None,
    ordered: bool = False,
) -> Iterator["BatchItem"]:
    """``reportkit.batch.iter_summaries`` on Ray: the same BatchItems, from a pool of Ray actors.

    The driver reads each file and ships its bytes, so the workers need no shared file system
    (a file the driver cannot read is read, and reported, by a worker exactly as ``load`` would).

    Args:
        paths: report files.
        engine, settings, concurrency: as for ``summarize_dataset``.
        address: a Ray cluster to connect to (``ray://host:10001`` or ``host:6379``); default: the
            cluster already initialised in this process, else ``RAY_ADDRESS``, else a new local one.
        ordered: yield in input order instead of completion order.

    Raises:
        ConfigError: the engine cannot run, or an input is not a file path.
        MissingExtraError: ray is not installed.
    """
    from .batch import BatchFailure, BatchItem
    from .schema import Report

    ray = _ray()
    labels = []
    for p in paths:
        if not isinstance(p, (str, os.PathLike)):
            raise ConfigError(f"on Ray, inputs are files: {p!r} is not a path (save standard input to a file first)")
        labels.append(str(p))
    started_here = not ray.is_initialized()
    if started_here:
        _connect(ray, address)
    try:
        rows = [{"path": label, "bytes": _bytes_or_none(label)} for label in labels]
        out = summarize_dataset(ray.data.from_items(rows), engine=engine, settings=settings, concurrency=concurrency)
        where: dict[str, list[int]] = {}
        for i, label in enumerate(labels):
            where.setdefault(label, []).append(i)
        waiting: dict[int, BatchItem] = {}
        next_out = 0
        for row in out.iter_rows():
            i = where[row["path"]].pop(0)
            if row["error"] is None:
                item = BatchItem(i, row["path"], report=Report.model_validate_json(row["report"]))
            else:
                kind, _, message = row["error"].partition(": ")
                item = BatchItem(i, row["path"], failure=BatchFailure(row["path"], kind, message))
            if not ordered:
                yield item
                continue
            waiting[i] = item
            while next_out in waiting:
                yield waiting.pop(next_out)
                next_out += 1
    finally:
        if started_here:
            ray.shutdown()


def _connect(ray: Any, address: str | None) -> None:
    if address or os.environ.get("RAY_ADDRESS"):
        ray.init(address=address)  # an existing cluster: its own dashboard and resources
    else:
        ray.init(include_dashboard=False)  # a local cluster for this batch only


def _bytes_or_none(path: str) -> bytes | None:
    """The file's bytes, or None to let the worker's loader say what is wrong with it."""
    try:
        p = Path(path)
        return p.read_bytes() if p.is_file() else None
    except OSError:
        return None


# --- tidy rows, for write_parquet ---------------------------------------------------------------


def metric_rows(ds: "ray.data.Dataset") -> "ray.data.Dataset":
    """One row per metric of every report in ``ds`` (the output of ``summarize_dataset``).

    The rows are ``reportkit.exports.metric_rows``, in its ``METRIC_COLUMNS``; error rows add none.
    """
    from .exports import METRIC_COLUMNS

    return ds.map_batches(_rows_of, fn_kwargs={"what": "metrics", "columns": METRIC_COLUMNS}, batch_format="pyarrow")


def item_rows(ds: "ray.data.Dataset") -> "ray.data.Dataset":
    """One row per review/problem/plan item of every report in ``ds``, as ``reportkit.exports.item_rows``."""
    from .exports import ITEM_COLUMNS

    return ds.map_batches(_rows_of, fn_kwargs={"what": "items", "columns": ITEM_COLUMNS}, batch_format="pyarrow")


def _rows_of(batch: "pyarrow.Table", *, what: str, columns: list[str]) -> "pyarrow.Table":
    import pyarrow as pa

    from . import exports
    from .schema import Report

    reports = [Report.model_validate_json(text) for text in batch.column("report").to_pylist() if text]
    rows = exports.metric_rows(reports) if what == "metrics" else exports.item_rows(reports)
    schema = pa.schema([(c, pa.int64() if c in _INT_COLUMNS else pa.float64() if c in _FLOAT_COLUMNS else pa.string())
                        for c in columns])
    return pa.Table.from_pylist(rows, schema=schema)
