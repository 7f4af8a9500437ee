"""The expressions and conditions of vector templates: a small, language-neutral grammar.

    expr      := term (("+" | "-") term)*
    term      := unary (("*" | "//") unary)*
    unary     := "-" unary | atom
    atom      := INTEGER | NAME | "(" expr ")"
               | "len(" NAME ")" | "digits(" expr ")" | "vlen(" expr ")"
               | "min(" expr "," expr ")" | "max(" expr "," expr ")"
    condition := expr ("<" | "<=" | ">" | ">=" | "==" | "!=") expr
               | "disjoint(" NAME "," HEXSTRING ")"

A NAME is a parameter of the vector's configuration: an integer, a boolean (0 or 1), or,
inside ``len()`` and ``disjoint()``, a bytes parameter.  ``digits(x)`` is the number of
decimal digits of x; ``vlen(x)`` the number of bytes of x as an unsigned LEB128 varint;
``//`` divides rounding down; ``disjoint(delimiter, "6162")`` holds
when no byte of the parameter occurs among the given bytes.  Nothing else exists: no
attribute access, no calls but these, no evaluation of the text as code.  Expressions are
parsed once (a few hundred characters at most) and evaluated with exact integers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

MAX_TEXT = 400
_TOKEN = re.compile(r'\s*(?:(\d+)|([A-Za-z_][A-Za-z0-9_]*)|("[0-9a-f]*")|(//|<=|>=|==|!=|[-+*(),<>]))')
COMPARISONS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


class ExprError(ValueError):
    """An expression or condition that does not follow the grammar, or cannot be evaluated."""


def _tokens(text: str) -> list[str]:
    if len(text) > MAX_TEXT:
        raise ExprError(f"expression longer than {MAX_TEXT} characters")
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ExprError(f"{text!r}: unexpected {text[pos:pos + 10]!r}")
        out.append(next(g for g in match.groups() if g is not None))
        pos = match.end()
    return out


#: The deepest nesting of parentheses and signs an expression may have.
MAX_DEPTH = 32


class _Parser:
    """Recursive descent over at most MAX_TEXT characters, nested at most MAX_DEPTH deep."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = 0

    def _deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"{self.text[:40]!r}...: nested more than {MAX_DEPTH} deep")

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ExprError(f"{self.text!r}: expected {expected or 'more'} at token {self.i + 1}")
        self.i += 1
        return token

    def done(self) -> None:
        if self.peek() is not None:
            raise ExprError(f"{self.text!r}: unexpected {self.peek()!r}")

    def expr(self) -> tuple:
        node = self.term()
        while self.peek() in ("+", "-"):
            node = (self.take(), node, self.term())
        return node

    def term(self) -> tuple:
        node = self.unary()
        while self.peek() in ("*", "//"):
            node = (self.take(), node, self.unary())
        return node

    def unary(self) -> tuple:
        if self.peek() == "-":
            self.take()
            self._deeper()
            node = ("neg", self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> tuple:
        token = self.take()
        if token.isdigit():
            return ("int", int(token))
        if token == "(":
            self._deeper()
            node = self.expr()
            self.take(")")
            self.depth -= 1
            return node
        if token in ("len", "digits", "vlen", "min", "max", "disjoint"):
            self.take("(")
            self._deeper()
            if token == "len":
                node = ("len", self._name())
            elif token in ("digits", "vlen"):
                node = (token, self.expr())
            elif token == "disjoint":
                name = self._name()
                self.take(",")
                raw = self.take()
                if not (raw.startswith('"') and len(raw) % 2 == 0):
                    raise ExprError(f"{self.text!r}: disjoint() takes a name and a hex string")
                node = ("disjoint", name, bytes.fromhex(raw[1:-1]))
            else:
                first = self.expr()
                self.take(",")
                node = (token, first, self.expr())
            self.take(")")
            self.depth -= 1
            return node
        if token[0].isalpha() or token[0] == "_":
            return ("name", token)
        raise ExprError(f"{self.text!r}: unexpected {token!r}")

    def _name(self) -> str:
        token = self.take()
        if not (token[0].isalpha() or token[0] == "_"):
            raise ExprError(f"{self.text!r}: expected a parameter name, not {token!r}")
        return token


def _parser(text: str, what: str) -> _Parser:
    if not isinstance(text, str):
        raise ExprError(f"{what} is a string, not {type(text).__name__}")
    return _Parser(text)


@lru_cache(maxsize=4096)
def parse_expr(text: str) -> tuple:
    parser = _parser(text, "an expression")
    node = parser.expr()
    parser.done()
    if node[0] == "disjoint":
        raise ExprError(f"{text!r}: disjoint() is a condition, not a number")
    return node


@lru_cache(maxsize=4096)
def parse_condition(text: str) -> tuple:
    parser = _parser(text, "a condition")
    left = parser.expr()
    if left[0] == "disjoint":
        parser.done()
        return left
    op = parser.take()
    if op not in COMPARISONS:
        raise ExprError(f"{text!r}: expected a comparison, not {op!r}")
    node = ("cmp", op, left, parser.expr())
    parser.done()
    return node


def _value(config: Mapping[str, Any], name: str) -> Any:
    if name not in config:
        raise ExprError(f"no parameter {name!r} in this configuration")
    return config[name]


def _eval(node: tuple, config: Mapping[str, Any]) -> int:
    kind = node[0]
    if kind == "int":
        return node[1]
    if kind == "name":
        value = _value(config, node[1])
        if not isinstance(value, int):  # bool is an int: 0 or 1
            raise ExprError(f"parameter {node[1]!r} is not a number")
        return int(value)
    if kind == "len":
        value = _value(config, node[1])
        if not isinstance(value, str):
            raise ExprError(f"len() takes a bytes parameter, not {node[1]!r}")
        return len(value) // 2  # bytes parameters are hex in a configuration
    if kind == "digits":
        return len(str(abs(_eval(node[1], config))))
    if kind == "vlen":
        return max(1, (_eval(node[1], config).bit_length() + 6) // 7)
    if kind == "neg":
        return -_eval(node[1], config)
    a, b = _eval(node[1], config), _eval(node[2], config)
    if kind == "+":
        return a + b
    if kind == "-":
        return a - b
    if kind == "*":
        return a * b
    if kind == "//":
        if b == 0:
            raise ExprError("division by zero")
        return a // b
    if kind == "min":
        return min(a, b)
    return max(a, b)


def evaluate(text: str, config: Mapping[str, Any]) -> int:
    """The value of expression ``text`` in ``config`` (a configuration in JSON form)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    return _eval(parse_expr(text), config)


def holds(text: str, config: Mapping[str, Any]) -> bool:
    """Does condition ``text`` hold in ``config``?"""
    node = parse_condition(text)
    if node[0] == "disjoint":
        value = _value(config, node[1])
        if not isinstance(value, str):
            raise ExprError(f"disjoint() takes a bytes parameter, not {node[1]!r}")
        return not set(bytes.fromhex(value)) & set(node[2])
    _, op, left, right = node
    return COMPARISONS[op](_eval(left, config), _eval(right, config))


def names(text: str, condition: bool = False) -> set[str]:
    """The parameter names an expression or condition uses."""
    out: set[str] = set()
    stack = [parse_condition(text) if condition else parse_expr(text)]
    while stack:
        node = stack.pop()
        if node[0] in ("name", "len"):
            out.add(node[1])
        elif node[0] == "disjoint":
            out.add(node[1])
        else:
            stack.extend(part for part in node[1:] if isinstance(part, tuple))
    return out
