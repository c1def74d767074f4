"""The small, safe expression language of skip logic and edit checks (never eval).

Grammar (NFKC-normalised first, so full-width operators and digits read as half-width):

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | cmp
    cmp     := sum (("==" | "=" | "!=" | "<" | "<=" | ">" | ">=") sum | "in" "(" atom ("," atom)* ")")?
    sum     := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER | 'text' | "text" | true | false | ITEM_ID | answered(ITEM_ID) | "(" expr ")"

Item ids are the stable ids of registered items (``[A-Za-z][A-Za-z0-9_]*``). ``parse`` answers a
tree of frozen Structs; ``evaluate`` walks it over typed values (None for an unanswered item):
arithmetic with None is None, a comparison with None is false, so a rule about items not yet
answered neither shows a question nor fails a check."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import msgspec

Value = int | Decimal | str | bool | dt.date | None


class Lit(msgspec.Struct, frozen=True, tag="lit"):
    value: int | str | bool
    decimal: bool = False  # value is the text of a decimal number


class Ref(msgspec.Struct, frozen=True, tag="ref"):
    item_id: str


class Answered(msgspec.Struct, frozen=True, tag="answered"):
    item_id: str


class Not(msgspec.Struct, frozen=True, tag="not"):
    operand: Node


class Neg(msgspec.Struct, frozen=True, tag="neg"):
    operand: Node


class Bin(msgspec.Struct, frozen=True, tag="bin"):
    op: str  # or and == != < <= > >= + - * /
    left: Node
    right: Node


class In(msgspec.Struct, frozen=True, tag="in"):
    operand: Node
    options: tuple[Lit, ...]


Node = Lit | Ref | Answered | Not | Neg | Bin | In


class ExprError(ValueError):
    """The text is not an expression of the language; the message says where."""


_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'[^']*'|\"[^\"]*\")|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>==|!=|<=|>=|[=<>+\-*/(),]))"
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "answered"}


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).replace("−", "-")
    out: list[str] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ExprError(
                f"位置 {pos + 1} の文字を読めません / cannot read the character at {pos + 1}: {text[pos : pos + 10]!r}"
            )
        out.append(m.group().strip())
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, want: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (want is not None and tok != want):
            raise ExprError(f"{want or '式'} が必要です / expected {want or 'an expression'}, got {tok or 'the end'}")
        self.i += 1
        return tok

    def expr(self) -> Node:
        node = self.conj()
        while self.peek() == "or":
            self.take()
            node = Bin("or", node, self.conj())
        return node

    def conj(self) -> Node:
        node = self.neg()
        while self.peek() == "and":
            self.take()
            node = Bin("and", node, self.neg())
        return node

    def neg(self) -> Node:
        if self.peek() == "not":
            self.take()
            return Not(self.neg())
        return self.cmp()

    def cmp(self) -> Node:
        left = self.sum()
        tok = self.peek()
        if tok in ("==", "=", "!=", "<", "<=", ">", ">="):
            self.take()
            return Bin("==" if tok == "=" else tok, left, self.sum())
        if tok == "in":
            self.take()
            self.take("(")
            options = [self.literal()]
            while self.peek() == ",":
                self.take()
                options.append(self.literal())
            self.take(")")
            return In(left, tuple(options))
        return left

    def sum(self) -> Node:
        node = self.term()
        while self.peek() in ("+", "-"):
            node = Bin(self.take(), node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek() in ("*", "/"):
            node = Bin(self.take(), node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek() == "-":
            self.take()
            return Neg(self.unary())
        return self.atom()

    def literal(self) -> Lit:
        node = self.atom()
        if not isinstance(node, Lit):
            raise ExprError("in ( ) には値だけを書きます / in ( ) takes literal values only")
        return node

    def atom(self) -> Node:
        tok = self.take()
        if tok == "(":
            node = self.expr()
            self.take(")")
            return node
        if tok[0].isdigit():
            return Lit(tok, decimal=True) if "." in tok else Lit(int(tok))
        if tok[0] in "'\"":
            return Lit(tok[1:-1])
        if tok in ("true", "false"):
            return Lit(tok == "true")
        if tok == "answered":
            self.take("(")
            name = self.take()
            self.take(")")
            return Answered(name)
        if tok in _KEYWORDS or not (tok[0].isalpha() or tok[0] == "_"):
            raise ExprError(f"{tok!r} はここに書けません / unexpected {tok!r}")
        return Ref(tok)


def parse(text: str) -> Node:
    """The tree of ``text``; ExprError names what is wrong."""
    p = _Parser(text)
    node = p.expr()
    if p.peek() is not None:
        raise ExprError(f"{p.peek()!r} 以降を読めません / unexpected {p.peek()!r}")
    return node


def refs(node: Node) -> set[str]:
    """Every item id the expression reads."""
    if isinstance(node, Ref | Answered):
        return {node.item_id}
    if isinstance(node, Not | Neg):
        return refs(node.operand)
    if isinstance(node, Bin):
        return refs(node.left) | refs(node.right)
    if isinstance(node, In):
        return refs(node.operand)
    return set()


def _lit(node: Lit) -> Value:
    return Decimal(str(node.value)) if node.decimal else node.value


def _num(v: Value) -> Decimal | None:
    if isinstance(v, bool):
        return Decimal(int(v))  # a boolean answer compares with 1/0 (as XLSForm's yes/no list holds it)
    if v is None:
        return None
    if isinstance(v, int | Decimal):
        return Decimal(v)
    if isinstance(v, str):
        try:
            return Decimal(v)
        except InvalidOperation:
            return None
    return None


def _same(a: Value, b: Value) -> bool:
    na, nb = _num(a), _num(b)
    if na is not None and nb is not None:
        return na == nb
    return str(a) == str(b)


def evaluate(node: Node, values: Mapping[str, Value]) -> Value:
    """The value of the expression over typed answers (an unanswered item is None)."""
    if isinstance(node, Lit):
        return _lit(node)
    if isinstance(node, Ref):
        return values.get(node.item_id)
    if isinstance(node, Answered):
        return values.get(node.item_id) is not None
    if isinstance(node, Not):
        return not evaluate(node.operand, values)
    if isinstance(node, Neg):
        n = _num(evaluate(node.operand, values))
        return None if n is None else -n
    if isinstance(node, In):
        v = evaluate(node.operand, values)
        return v is not None and any(_same(v, _lit(o)) for o in node.options)
    if node.op == "and":
        return bool(evaluate(node.left, values)) and bool(evaluate(node.right, values))
    if node.op == "or":
        return bool(evaluate(node.left, values)) or bool(evaluate(node.right, values))
    a, b = evaluate(node.left, values), evaluate(node.right, values)
    if a is None or b is None:
        return None if node.op in "+-*/" else False
    if node.op in ("==", "!="):
        return _same(a, b) == (node.op == "==")
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}.get(node.op)
    na, nb = _num(a), _num(b)
    if na is None or nb is None:
        return None if node.op in "+-*/" else False
    if node.op == "/":
        return None if nb == 0 else na / nb
    if node.op in ("+", "-", "*"):
        return na + nb if node.op == "+" else na - nb if node.op == "-" else na * nb
    cmp: dict[str, bool] = {"<": na < nb, "<=": na <= nb, ">": na > nb, ">=": na >= nb}
    return cmp[node.op]
