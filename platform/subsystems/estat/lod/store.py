"""The SPARQL store: an in-memory pyoxigraph store in a child process of each app process.

Why a child process: a SPARQL query runs inside Oxigraph (Rust) and cannot be interrupted from
Python; a runaway query (a cross product, a property path over everything) would hold a CPU and
the answer forever. The app waits for the child at most TIMEOUT seconds; then it kills the child,
answers 503, and starts a fresh one, which loads the graphs again (docs/decisions/0013).

Read-only: the child only ever runs `Store.query`, which parses queries, never updates.
Each graph is one published table (named by its data set's URI) or a reference scheme; queries
see their union as the default graph."""

from __future__ import annotations

import asyncio
import gzip
import itertools
import multiprocessing
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPHS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


class QueryTimeout(Exception):
    pass


class TooMany(Exception):
    pass


def _load(store: ox.Store, graphs: list[tuple[str, bytes | None]]) -> None:
    for name, data in graphs:
        graph = ox.NamedNode(name)
        store.remove_graph(graph)
        if data:
            store.load(gzip.decompress(data), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)


def _run(store: ox.Store, query: str, results: str, graph: str, cap: int) -> tuple[str, bytes]:
    """('ask' | 'select' | 'graph', the serialised answer); TooMany past `cap` rows or triples."""
    answer = store.query(query, use_default_graph_as_union=True)
    if isinstance(answer, ox.QueryBoolean):
        return "ask", answer.serialize(format=RESULTS[results]) or b""
    if sum(1 for _ in itertools.islice(answer, cap + 1)) > cap:
        raise TooMany(cap)
    answer = store.query(query, use_default_graph_as_union=True)  # again, now known to be small
    if isinstance(answer, ox.QuerySolutions):
        return "select", answer.serialize(format=RESULTS[results]) or b""
    assert isinstance(answer, ox.QueryTriples)
    return "graph", ox.serialize(answer, format=GRAPHS[graph]) or b""


def _serve(conn: Connection) -> None:
    """The child's loop: ('load', graphs) and ('query', query, results, graph, cap) messages."""
    store = ox.Store()
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        try:
            if message[0] == "load":
                _load(store, message[1])
                conn.send(("ok", len(store)))
            else:
                conn.send(("ok", _run(store, *message[1:])))
        except TooMany as exc:
            conn.send(("too_many", exc.args[0]))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except Exception as exc:  # an evaluation error names itself to the caller
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class QueryProcess:
    """One child process and the generation of the read model it holds."""

    def __init__(self) -> None:
        self._proc: Any = None
        self._conn: Connection | None = None
        self.generation = 0
        self.lock = asyncio.Lock()

    @property
    def fresh(self) -> bool:
        """No child yet (or it was killed): the next caller loads every graph."""
        return self._proc is None or not self._proc.is_alive()

    def start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child,), daemon=True, name="govstat-sparql")
        self._proc.start()
        child.close()
        self._conn = parent
        self.generation = 0

    def kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc, self._conn = None, None
        self.generation = 0

    async def _call(self, message: tuple[Any, ...], timeout: float) -> Any:
        if self.fresh:
            self.kill()
            self.start()
        conn = self._conn
        assert conn is not None
        conn.send(message)
        ready = await asyncio.get_running_loop().run_in_executor(None, conn.poll, timeout)
        if not ready:
            self.kill()  # the query runs on in Rust: only ending the process stops it
            raise QueryTimeout(timeout)
        kind, value = conn.recv()
        if kind == "too_many":
            raise TooMany(value)
        if kind == "syntax":
            raise SyntaxError(value)
        if kind == "error":
            raise RuntimeError(value)
        return value

    async def load(self, graphs: list[tuple[str, bytes | None]], generation: int, timeout: float = 120.0) -> None:
        if graphs:
            await self._call(("load", graphs), timeout)
        self.generation = max(self.generation, generation)

    async def query(self, query: str, *, results: str, graph: str, cap: int, timeout: float) -> tuple[str, bytes]:
        answer: tuple[str, bytes] = await self._call(("query", query, results, graph, cap), timeout)
        return answer


PROCESS = QueryProcess()
