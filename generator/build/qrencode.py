"""A fast QR code encoder written from ISO/IEC 18004:2015, with compact inline SVG output.

Scope: byte mode (UTF-8), error correction L/M/Q/H, versions 1-10 (the smallest that fits), all
eight masks scored with the penalty rules N1-N4 of table 11. Pure Python, no dependencies:
about 0.1 ms per 60-character URL, SVG included.

API: ``encode(text, error="M") -> QrMatrix`` (rows as ints, bit x of ``rows[y]`` = module (x, y)
dark), ``svg(text, border=2, css_class="qr", label=None) -> str``, ``penalty(matrix) -> int``.

How it is fast:

* Everything that depends only on (version, level) is computed once and cached: the
  function-pattern template, the data-module placement fused with the block interleaving and,
  up to version 5, with the Reed-Solomon coding (two tables per data codeword position giving
  the symbol bits, error correction modules included, of each value of its high and low four
  bits, so encoding is two ``reduce(xor, ...)`` calls; above it the remainders are computed and
  one ``operator.itemgetter`` places the codeword bit string), the eight mask patterns and the
  format/version information.
* The symbol is one big ``int``. Row y is characters ``y * S`` to ``y * S + size - 1`` of a binary
  string, most significant bit first, with ``S = size + 4``: each row is followed by 4 light
  "quiet zone" columns, and 4 light rows lie above and below. Masking is one XOR, and the
  penalty rules are some sixty shifts/ANDs/``bit_count`` calls on the whole symbol (shift by 1 =
  next module in the row, by S = next in the column). For N1 and N2 only the symbol's own
  modules count as light, so no run or block crosses its edge; for N3's four light modules the
  quiet zone counts as light.
* Reed-Solomon remainders (above version 5, and to build the tables) come from a shift
  register held in one ``int`` with a 256-entry table per generator polynomial. The SVG path is
  cut into tokens (light gap + dark run) by one ``str.split("10")`` and each token is mapped
  through a memo dict to ``m.. ..h..``.
"""

from __future__ import annotations

import base64
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import getitem, itemgetter, xor

__all__ = ["MAX_VERSION", "QrMatrix", "encode", "penalty", "png", "png_svg", "svg"]

MAX_VERSION = 10

# Total codewords per version (ISO/IEC 18004:2015 table 1).
_TOTAL_CODEWORDS = (0, 26, 44, 70, 100, 134, 172, 196, 242, 292, 346)

# Error correction codewords per block and number of blocks (table 9). When the data codewords do
# not divide evenly, the last ``data % blocks`` blocks carry one more data codeword.
_EC_BLOCKS: dict[str, tuple[tuple[int, int], ...]] = {
    #     v1       v2       v3       v4       v5       v6       v7       v8       v9       v10
    "L": ((0, 0), (7, 1), (10, 1), (15, 1), (20, 1), (26, 1), (18, 2), (20, 2), (24, 2), (30, 2), (18, 4)),
    "M": ((0, 0), (10, 1), (16, 1), (26, 1), (18, 2), (24, 2), (16, 4), (18, 4), (22, 4), (22, 5), (26, 5)),
    "Q": ((0, 0), (13, 1), (22, 1), (18, 2), (26, 2), (18, 4), (24, 4), (18, 6), (22, 6), (20, 8), (24, 8)),
    "H": ((0, 0), (17, 1), (28, 1), (22, 2), (16, 4), (22, 4), (28, 4), (26, 5), (26, 6), (24, 8), (28, 8)),
}

# Row/column coordinates of alignment pattern centres (annex E).
_ALIGNMENT = ((), (), (6, 18), (6, 22), (6, 26), (6, 30), (6, 34),
              (6, 22, 38), (6, 24, 42), (6, 26, 46), (6, 28, 50))

# Error correction level indicators in the format information (table 12).
_LEVEL_BITS = {"L": 0b01, "M": 0b00, "Q": 0b11, "H": 0b10}

# Data masks (table 10): i is the row, j the column.
_MASKS: tuple[Callable[[int, int], bool], ...] = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)

# Penalty weights (table 11).
_N1, _N2, _N3, _N4 = 3, 3, 40, 10


# --------------------------------------------------------------------------- Reed-Solomon

_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D  # x^8 + x^4 + x^3 + x^2 + 1
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]
del _x, _i


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def _generator(degree: int) -> list[int]:
    """Coefficients (highest power first, leading 1) of prod_{i<degree} (x - alpha^i)."""
    poly = [1]
    for i in range(degree):
        root = _EXP[i]
        nxt = poly + [0]
        for j, c in enumerate(poly):
            nxt[j + 1] ^= _gf_mul(c, root)
        poly = nxt
    return poly


_RS_TABLES: dict[int, list[int]] = {}


def _rs_table(degree: int) -> list[int]:
    """For each feedback byte f: f * (generator without its leading term), packed big-endian."""
    table = _RS_TABLES.get(degree)
    if table is None:
        tail = _generator(degree)[1:]
        table = [int.from_bytes(bytes(_gf_mul(f, g) for g in tail), "big") for f in range(256)]
        _RS_TABLES[degree] = table
    return table


def _rs_remainder(block: bytes, degree: int, table: list[int]) -> int:
    """The ``degree`` error correction codewords of ``block``, packed big-endian in one int."""
    shift = 8 * (degree - 1)
    keep = (1 << shift) - 1
    rem = 0
    for byte in block:
        rem = ((rem & keep) << 8) ^ table[byte ^ (rem >> shift)]
    return rem


# --------------------------------------------------------------------------- BCH codes


def _format_bits(level: str, mask: int) -> int:
    """15-bit format information: 5 data bits, BCH(15,5) with 0x537, XOR 0x5412."""
    data = _LEVEL_BITS[level] << 3 | mask
    rem = data
    for _ in range(10):
        rem = (rem << 1) ^ (0x537 if rem >> 9 else 0)
    return (data << 10 | rem) ^ 0x5412


def _version_bits(version: int) -> int:
    """18-bit version information: 6 data bits, BCH(18,6) with 0x1F25."""
    rem = version
    for _ in range(12):
        rem = (rem << 1) ^ (0x1F25 if rem >> 11 else 0)
    return version << 12 | rem


# --------------------------------------------------------------------------- symbol layout

_FORMAT = 2  # placeholder in the function-pattern grid: format information module
_QUIET = 4  # light modules around the symbol in the penalty layout (N3 looks 4 modules out)


class _Symbol:
    """Everything about one version that does not depend on the data or the level."""

    def __init__(self, version: int) -> None:
        size = 17 + 4 * version
        self.version = version
        self.size = size
        # Rows of the symbol int: ``size`` modules then a 4-module light gap (the quiet zone to the
        # right of this row and to the left of the next); 4 light rows below and above.
        self.stride = stride = size + _QUIET
        self.length = size * stride  # characters of the row string
        self.shift = _QUIET * stride  # the rows below the symbol
        grid: list[list[int | None]] = [[None] * size for _ in range(size)]

        def put(x: int, y: int, value: int) -> None:
            grid[y][x] = value

        # Finder patterns with their separators.
        for cx, cy in ((0, 0), (size - 7, 0), (0, size - 7)):
            for dy in range(-1, 8):
                for dx in range(-1, 8):
                    x, y = cx + dx, cy + dy
                    if 0 <= x < size and 0 <= y < size:
                        ring = max(abs(dx - 3), abs(dy - 3))
                        put(x, y, 1 if ring in (0, 1, 3) else 0)
        # Timing patterns.
        for i in range(8, size - 8):
            put(i, 6, 1 - i % 2)
            put(6, i, 1 - i % 2)
        # Alignment patterns (skipping the three that would overlap the finders).
        centres = _ALIGNMENT[version]
        corners = {(6, 6), (6, size - 7), (size - 7, 6)}
        for cy in centres:
            for cx in centres:
                if (cx, cy) in corners:
                    continue
                for dy in range(-2, 3):
                    for dx in range(-2, 3):
                        put(cx + dx, cy + dy, 1 if max(abs(dx), abs(dy)) != 1 else 0)
        # Format information areas and the dark module.
        self.format_cells = self._format_cells()
        for x, y in self.format_cells:
            put(x, y, _FORMAT)
        # The dark module and the version information (v7+) are left light in the template, like
        # the format information: masks are scored before they are placed (see ``_encode``).
        put(8, size - 8, 0)
        self.extras = self.bit(8, size - 8)
        if version >= 7:
            bits = _version_bits(version)
            for i in range(18):
                a, b = size - 11 + i % 3, i // 3
                put(a, b, 0)
                put(b, a, 0)
                if bits >> i & 1:
                    self.extras |= self.bit(a, b) | self.bit(b, a)
        self.grid = grid

        # Data modules in placement order: two-column strips from the right, alternately upward
        # and downward, skipping the vertical timing pattern.
        order: list[tuple[int, int]] = []
        upward = True
        right = size - 1
        while right > 0:
            if right == 6:
                right = 5
            ys = range(size - 1, -1, -1) if upward else range(size)
            for y in ys:
                for x in (right, right - 1):
                    if grid[y][x] is None:
                        order.append((x, y))
            upward = not upward
            right -= 2
        self.placement = order
        if len(order) // 8 != _TOTAL_CODEWORDS[version]:  # pragma: no cover - table sanity
            raise AssertionError(f"version {version}: {len(order)} data modules")

        bit = self.bit
        self.all_modules = sum(bit(x, y) for y in range(size) for x in range(size))
        self.with_quiet_zone = (1 << (self.length + 2 * self.shift)) - 1
        self.light = (1 << self.length) - 1  # XOR: the modules' colours swapped (1 = light)
        self.masks = tuple(
            sum(bit(x, y) for x, y in order if cond(y, x)) for cond in _MASKS
        )
        # For N1 and N2: ``same(a, step)`` marks each module equal to its neighbour ``step`` back,
        # both inside the symbol: ``(a ^ a << step ^ pair) & pair``. Masking is an XOR, so for
        # ``a = raw ^ mask`` that is ``(raw ^ raw << step) ^ self.mask_pairs[step][m]``, & pair.
        self.pairs = {step: self.all_modules & self.all_modules << step for step in (1, stride)}
        self.mask_pairs = {step: tuple(m ^ m << step ^ pair for m in self.masks)
                           for step, pair in self.pairs.items()}

    def bit(self, x: int, y: int) -> int:
        """The int with only module (x, y) set."""
        return 1 << (self.shift + self.length - 1 - (y * self.stride + x))

    def _format_cells(self) -> list[tuple[int, int]]:
        """(x, y) of format bit i in the first copy (i = 0..14) followed by the second copy."""
        size = self.size
        first = [(8, i) for i in range(6)] + [(8, 7), (8, 8), (7, 8)] + [(14 - i, 8) for i in range(9, 15)]
        second = [(size - 1 - i, 8) for i in range(8)] + [(8, size - 15 + i) for i in range(8, 15)]
        return first + second

    def format_pattern(self, level: str, mask: int) -> int:
        bits = _format_bits(level, mask)
        cells = self.format_cells
        return sum(self.bit(x, y) for i, (x, y) in enumerate(cells) if bits >> (i % 15) & 1)


class _Layout:
    """A symbol version at one error correction level: block structure and the placement getter."""

    def __init__(self, symbol: _Symbol, level: str) -> None:
        version = symbol.version
        self.symbol = symbol
        self.level = level
        total = _TOTAL_CODEWORDS[version]
        ec_len, nblocks = _EC_BLOCKS[level][version]
        data_len = total - ec_len * nblocks
        self.data_codewords = data_len
        self.count_bits = 8 if version < 10 else 16
        self.capacity = data_len - (2 if version < 10 else 3)  # bytes after mode + count + terminator
        short, longer = divmod(data_len, nblocks)
        nshort = nblocks - longer
        blocks: list[tuple[int, int]] = []
        start = 0
        for b in range(nblocks):
            length = short + (b >= nshort)
            blocks.append((start, start + length))
            start += length
        self.blocks = tuple(blocks)
        self.ec_len = ec_len
        self.rs_table = _rs_table(ec_len)
        self.pad = [int.from_bytes((b"\xec\x11" * (data_len // 2 + 1))[:n], "big") if n else 0
                    for n in range(data_len + 1)]

        # Codeword order in the final message: data interleaved, then EC interleaved. Codeword k
        # of the concatenation "all data codewords, then block 0's EC, block 1's EC, ..." is bits
        # 8k..8k+7 of the message bit string.
        sequence: list[int] = []
        for i in range(short + 1):
            for lo, hi in blocks:
                if lo + i < hi:
                    sequence.append(lo + i)
        for i in range(ec_len):
            for b in range(nblocks):
                sequence.append(data_len + b * ec_len + i)
        nbits = 8 * total
        self.nbits = nbits
        zero, one = nbits, nbits + 1  # the message string gets "01" appended
        source: dict[tuple[int, int], int] = {}
        for k, cell in enumerate(symbol.placement):
            source[cell] = sequence[k >> 3] * 8 + (k & 7) if k < nbits else zero  # remainder bits
        size = symbol.size
        picks: list[int] = []
        for y in range(size):
            row = symbol.grid[y]
            for x in range(size):
                value = row[x]
                if value is None:
                    picks.append(source[(x, y)])
                else:
                    picks.append(one if value == 1 else zero)
            picks.extend([zero] * _QUIET)  # quiet zone columns
        self.getter = itemgetter(*picks)
        self._picks = picks
        self._tables: tuple[list[list[int]], list[list[int]], int] | None = None
        self.formats = tuple(symbol.format_pattern(level, m) for m in range(8))
        self.finish = tuple(self.formats[m] | symbol.extras for m in range(8))


    def raw_symbol(self, data: int) -> int:
        """The unmasked symbol int for the data codewords ``data`` (packed big-endian), with
        their error correction codewords.

        Up to version ``TABLE_VERSIONS`` (URLs up to 84 bytes at level M) through two tables per
        data codeword position: the symbol bits of each value of its high and of its low four
        bits, *with the bits they set in the error correction codewords*. Reed-Solomon coding is
        linear over GF(2) (the remainder of a sum is the sum of the remainders) and so is module
        placement, so the symbol is the XOR of one entry per half codeword, and no remainder is
        computed per code (16-entry tables stay in the CPU cache where 256-entry ones did not).
        Above it, the codewords are computed and placed bit by bit through ``getter``.
        """
        symbol = self.symbol
        if symbol.version > TABLE_VERSIONS:
            bits = format(_message(data, self), f"0{self.nbits}b") + "01"
            return int("".join(self.getter(bits)), 2) << symbol.shift
        tables = self._tables
        if tables is None:
            tables = self._tables = self._nibble_tables()
        high, low, fixed = tables
        codewords = data.to_bytes(self.data_codewords, "big")
        return reduce(xor, map(getitem, low, codewords.translate(_LOW_NIBBLE)),
                      reduce(xor, map(getitem, high, codewords.translate(_HIGH_NIBBLE)), fixed))

    def _nibble_tables(self) -> tuple[list[list[int]], list[list[int]], int]:
        """(high, low, fixed): ``high[c][v]`` is the symbol bits that data codeword c's high four
        bits being v set (its own modules and its share of its block's error correction
        codewords), ``low[c][v]`` the same for its low four bits, ``fixed`` the function
        patterns' dark modules."""
        symbol = self.symbol
        top = symbol.length - 1 + symbol.shift
        cells = [0] * (self.nbits + 2)  # message bit → its symbol bit
        for p, source in enumerate(self._picks):
            cells[source] |= 1 << (top - p)
        nbits = self.nbits
        high: list[list[int]] = []
        low: list[list[int]] = []
        for c in range(self.data_codewords):
            bit_values = []  # j = 0: the codeword's MSB
            for j in range(8):
                message = _message(1 << (8 * (self.data_codewords - 1 - c) + 7 - j), self)
                bit_values.append(reduce(xor, (cells[m] for m in range(nbits)
                                               if message >> (nbits - 1 - m) & 1), 0))
            for half, table in ((bit_values[:4], high), (bit_values[4:], low)):
                table.append([reduce(xor, (half[j] for j in range(4) if value >> (3 - j) & 1), 0)
                              for value in range(16)])
        return high, low, cells[nbits + 1]


_HIGH_NIBBLE = bytes(value >> 4 for value in range(256))
_LOW_NIBBLE = bytes(value & 15 for value in range(256))
TABLE_VERSIONS = 5
_SYMBOLS: dict[int, _Symbol] = {}
_LAYOUTS: dict[tuple[int, str], _Layout] = {}


def _layout(version: int, level: str) -> _Layout:
    layout = _LAYOUTS.get((version, level))
    if layout is None:
        symbol = _SYMBOLS.get(version)
        if symbol is None:
            symbol = _SYMBOLS[version] = _Symbol(version)
        layout = _LAYOUTS[(version, level)] = _Layout(symbol, level)
    return layout


_CAPACITIES: dict[str, tuple[int, ...]] = {}


def _choose(nbytes: int, level: str) -> _Layout:
    caps = _CAPACITIES.get(level)
    if caps is None:
        if level not in _LEVEL_BITS:
            raise ValueError(f"error correction level must be one of L, M, Q, H, not {level!r}")
        caps = _CAPACITIES[level] = tuple(
            [-1] + [_layout(v, level).capacity for v in range(1, MAX_VERSION + 1)])
    for version in range(1, MAX_VERSION + 1):
        if nbytes <= caps[version]:
            return _layout(version, level)
    raise ValueError(f"{nbytes} bytes do not fit a version {MAX_VERSION} QR code at level {level}")


# --------------------------------------------------------------------------- encoding


def _data_codewords(data: bytes, layout: _Layout) -> int:
    """The data codewords (clause 7.4) packed big-endian in one int."""
    n = len(data)
    cbits = layout.count_bits
    # Mode 0100, character count, data, then the 4-bit terminator, which always fits (capacity
    # leaves room for it) and byte-aligns (4 + count + 8n + 4 bits), so no pad bits are needed;
    # then the pad codewords 0xEC 0x11 ... up to the data capacity.
    fill = layout.data_codewords - (n + (cbits >> 3) + 1)
    return ((((4 << cbits | n) << (8 * n) | int.from_bytes(data, "big")) << 4 << (8 * fill))
            | layout.pad[fill])


def _message(value: int, layout: _Layout) -> int:
    """Data codewords + their EC codewords (blocks not interleaved), packed big-endian.

    ``layout.getter`` places them, which also does the interleaving.
    """
    codewords = value.to_bytes(layout.data_codewords, "big")
    ec_len = layout.ec_len
    table = layout.rs_table
    for lo, hi in layout.blocks:
        value = value << (8 * ec_len) | _rs_remainder(codewords[lo:hi], ec_len, table)
    return value


def _penalty(a: int, symbol: _Symbol, rows: int, columns: int) -> int:
    """N1 + N2 + N3 + N4 (table 11) of the masked symbol ``a`` (see the module docstring).

    ``rows`` and ``columns`` mark the modules equal to their left and upper neighbours (see
    ``_Symbol.pairs``). ``clear`` is the light modules with the quiet zone around the symbol,
    which counts as light for the four light modules next to a 1:1:3:1:1 pattern.
    """
    clear = a ^ symbol.with_quiet_zone
    s = symbol.stride
    runs = finders = 0
    for step, same in ((1, rows), (s, columns)):
        # N1: each run of k >= 5 same-coloured modules scores N1 + (k - 5) = (k - 4) + 2: ``five``
        # has k - 4 bits in it, and each run of them two boundaries (the module before it and
        # its last one differ from their next; the quiet rows and columns keep both inside the
        # int), so ``five ^ five >> step`` has two bits a run: no ``~`` on a big int.
        same &= same << step
        five = same & same << 2 * step  # five equal modules start here
        runs += five.bit_count() + (five ^ five >> step).bit_count()
        # N3: dark-light-dark-dark-dark-light-dark with four light modules before or after it;
        # each such pattern counts once, and of two overlapping ones only the first.
        light = clear << step
        core = a & light & (a & a << step & a << 2 * step) << 2 * step & light << 4 * step & a << 6 * step
        clear2 = clear & light
        clear4 = clear2 & clear2 << 2 * step
        hits = core & (clear4 << 7 * step | clear4 >> 4 * step)
        finders += hits.bit_count() - (hits & (hits << 4 * step | hits << 6 * step)).bit_count()
    # N2: each 2x2 block of one colour: equal to the left, above, and above-left equal to its left.
    blocks = (rows & rows << s & columns).bit_count()
    # N4: 10 points for each full 5% by which the dark proportion deviates from 50%.
    total = symbol.size * symbol.size
    balance = abs(20 * a.bit_count() - 10 * total) // total
    return runs + _N2 * blocks + _N3 * finders + _N4 * balance


def _same(a: int, symbol: _Symbol, step: int) -> int:
    pair = symbol.pairs[step]
    return (a ^ a << step ^ pair) & pair


def _encode(data: bytes, level: str, mask: int | None) -> tuple[_Layout, int, int]:
    """(layout, mask, symbol int) for ``data`` in the smallest version that holds it."""
    layout = _choose(len(data), level)
    return (layout, *_place(_data_codewords(data, layout), layout, mask))


def _place(codewords: int, layout: _Layout, mask: int | None) -> tuple[int, int]:
    """(mask, symbol int) for the data codewords ``codewords`` (packed big-endian).

    The masks are scored as the encoding procedure orders the steps (clause 7.1: data masking,
    then format and version information): on the symbol before its format information, version
    information and dark module are placed. The lowest score wins, the lower mask on a tie.
    """
    symbol = layout.symbol
    raw = layout.raw_symbol(codewords)
    masks = symbol.masks
    if mask is None:
        best_score = 1 << 60
        s = symbol.stride
        row_pair, column_pair = symbol.pairs[1], symbol.pairs[s]
        row_diff, column_diff = raw ^ raw << 1, raw ^ raw << s
        for m, (row_mask, column_mask) in enumerate(
                zip(symbol.mask_pairs[1], symbol.mask_pairs[s], strict=True)):
            score = _penalty(raw ^ masks[m], symbol, (row_diff ^ row_mask) & row_pair,
                             (column_diff ^ column_mask) & column_pair)
            if score < best_score:
                mask, best_score = m, score
    elif not 0 <= mask < 8:
        raise ValueError(f"mask must be 0..7, not {mask!r}")
    assert mask is not None
    return mask, raw ^ masks[mask] | layout.finish[mask]


@dataclass(frozen=True, slots=True)
class QrMatrix:
    """A QR code symbol: ``rows[y] >> x & 1`` is 1 when module (x, y) is dark (no quiet zone)."""

    version: int
    error: str
    mask: int
    size: int
    rows: tuple[int, ...]

    def dark(self, x: int, y: int) -> bool:
        return bool(self.rows[y] >> x & 1)

    def lines(self, dark: str = "1", light: str = "0") -> list[str]:
        """The rows as strings, left to right."""
        size = self.size
        return ["".join(dark if row >> x & 1 else light for x in range(size)) for row in self.rows]


def _as_bytes(text: str | bytes) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else bytes(text)


def encode(text: str | bytes, error: str = "M", *, mask: int | None = None) -> QrMatrix:
    """Encode ``text`` (UTF-8; ``bytes`` are taken as they are) in byte mode.

    Uses the smallest version 1..10 that holds the data at ``error`` level (L, M, Q or H; raises
    ValueError when none does) and the mask with the lowest ISO/IEC 18004 penalty score (the
    lowest-numbered on a tie) unless ``mask`` fixes it.
    """
    level = error.upper()
    layout, chosen, value = _encode(_as_bytes(text), level, mask)
    return _matrix(layout, chosen, value)


def _matrix(layout: _Layout, mask: int, value: int) -> QrMatrix:
    symbol = layout.symbol
    size, stride = symbol.size, symbol.stride
    bits = format(value >> symbol.shift, f"0{symbol.length}b")
    rows = tuple(int(bits[y * stride:y * stride + size][::-1], 2) for y in range(size))
    return QrMatrix(symbol.version, layout.level, mask, size, rows)


def penalty(matrix: QrMatrix) -> int:
    """The mask penalty score N1 + N2 + N3 + N4 (table 11) of ``matrix`` as it is.

    ``encode`` scores each mask before the format information, version information and dark
    module are placed (they are light then), so score such a matrix to reproduce its choice.
    """
    size = matrix.size
    if (size - 17) % 4 or size < 21:
        raise ValueError(f"not a QR code size: {size}")
    symbol = _SYMBOLS.get((size - 17) // 4) or _Symbol((size - 17) // 4)
    gap = "0" * _QUIET
    text = "".join(format(row, f"0{size}b")[::-1] + gap for row in matrix.rows)
    a = int(text, 2) << symbol.shift
    return _penalty(a, symbol, _same(a, symbol, 1), _same(a, symbol, symbol.stride))


# --------------------------------------------------------------------------- SVG


class _PathTokens(dict[str, str]):
    """Memo: token -> relative path commands, for one symbol size.

    A token is what lies between the end of one dark run and the end of a later one within the
    newline-separated row strings: light modules, row ends and dark runs, ending with a dark run
    (or, at the very end, with no dark run at all). Keys are tokens less ``affix``: splitting the
    rows at each "10" drops a token's leading "0" and trailing "1", so the memo of the middle
    tokens adds them back (``affix=("0", "1")``) and the memo of the first and last has none.
    """

    def __init__(self, size: int, affix: tuple[str, str] = ("", "")) -> None:
        super().__init__()
        self.size = size
        self.affix = affix

    def __missing__(self, key: str) -> str:
        # Positions are relative to where the previous dark run ended (the pen), which is only
        # known absolutely once a row end is crossed; dx/dy of each move do not need it.
        commands = []
        cursor = pen = 0
        rows = 0
        for piece in _PIECES.findall(self.affix[0] + key + self.affix[1]):
            if piece == "\n":
                cursor -= self.size  # the row end is at absolute x = size
                rows += 1
            elif piece[0] == "0":
                cursor += len(piece)
            else:
                if cursor != pen or rows:
                    commands.append(f"m{cursor - pen} {rows}")
                commands.append(f"h{len(piece)}")
                pen = cursor = cursor + len(piece)
                rows = 0
        if len(self) >= 100_000:  # a bound; real symbols need a few thousand
            self.clear()
        command = self[key] = "".join(commands)
        return command


_PIECES = re.compile(r"\n|0+|1+")
_PATH_TOKENS: dict[int, tuple[_PathTokens, _PathTokens]] = {}


def _escape(value: str) -> str:
    return (value.replace("&", "&amp;").replace('"', "&quot;")
            .replace("<", "&lt;").replace(">", "&gt;"))


def _path(value: int, symbol: _Symbol, border: int) -> str:
    size, stride = symbol.size, symbol.stride
    bits = format(value >> symbol.shift, f"0{symbol.length}b")
    rows = "\n".join([bits[i:i + size] for i in range(0, symbol.length, stride)])
    memos = _PATH_TOKENS.get(size)
    if memos is None:
        memos = _PATH_TOKENS[size] = (_PathTokens(size), _PathTokens(size, ("0", "1")))
    edges, middles = memos
    # Module (0, 0) is always dark (finder pattern), so the first token starts at the origin.
    # Every "10" ends one token and starts the next: the middle tokens are the pieces between.
    pieces = rows.split("10")
    if len(pieces) == 1:  # pragma: no cover - every symbol has finder patterns, so "10" occurs
        return f"M{border} {border}.5" + edges[rows]
    return (f"M{border} {border}.5" + edges[pieces[0] + "1"]
            + "".join(map(middles.__getitem__, pieces[1:-1])) + edges["0" + pieces[-1]])


def _bordered(text: str | bytes, border: int, error: str) -> tuple[_Symbol, int, int]:
    """The encoded symbol of ``text``, its module bits and its side in modules with ``border``
    (what :func:`svg`, :func:`png` and :func:`png_svg` draw)."""
    if not isinstance(border, int) or border < 0:
        raise ValueError(f"border must be a non-negative int, not {border!r}")
    layout, _, value = _encode(_as_bytes(text), error.upper(), None)
    return layout.symbol, value, layout.symbol.size + 2 * border


def _label(text: str | bytes) -> str:
    """The default accessible name of a code: ``"QR code: "`` and its text."""
    return "QR code: " + (text if isinstance(text, str) else text.decode("utf-8", "replace"))


def svg(text: str | bytes, *, border: int = 2, css_class: str = "qr", label: str | None = None,
        error: str = "M") -> str:
    """A compact inline SVG of the QR code for ``text``: one stroked ``<path>``, no size attributes.

    ``border`` is the quiet zone in modules inside the viewBox; ``label`` is the accessible name
    (default ``"QR code: " + text``).
    """
    symbol, value, side = _bordered(text, border, error)
    label = _label(text) if label is None else label
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
            f'class="{_escape(css_class)}" role="img" aria-label="{_escape(label)}">'
            f'<path stroke="#000" shape-rendering="crispEdges" d="{_path(value, symbol, border)}"/>'
            f"</svg>")


# --------------------------------------------------------------------------- PNG


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(value: int, symbol: _Symbol, border: int) -> bytes:
    """The symbol as a 1-bit greyscale PNG (RFC 2083: one pixel a module, 0 = black), with
    ``border`` light modules around it. About 300 bytes for a 60-character URL, against about
    1,400 for the SVG path: the bytes that matter on 100,000 credential pages (issue 20).

    The scanlines are cut from one binary string of the light modules (the symbol XOR its
    modules: 1 = light) and joined with what lies between two rows (the right border and byte
    padding, the next filter byte, the left border), then read as one int: no per-row shifts of
    the big symbol int (a third of the cost of this function before).

    The image data is stored, not compressed (deflate level 0, RFC 1951 §3.2.4): compressing
    about 235 bytes of modules saved 27 bytes of PNG (36 of base64, 0.4 % of a page and its
    record) and cost 18-20 µs a page, 6 % of a cold build's CPU; storing costs under 2 µs."""
    size, stride, length = symbol.size, symbol.stride, symbol.length
    width = size + 2 * border
    padded = -(-width // 8) * 8
    rows = format((value >> symbol.shift) ^ symbol.light, f"0{length}b")
    left, right = "1" * border, "1" * (padded - width + border)
    blank = ("00000000" + "1" * padded) * border  # filter type 0 + a light row, per border row
    body = (right + "00000000" + left).join([rows[i:i + size] for i in range(0, length, stride)])
    image = int(f"{blank}00000000{left}{body}{right}{blank}", 2).to_bytes(
        (padded // 8 + 1) * width, "big")
    header = struct.pack(">IIBBBBB", width, width, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(image, 0)) + _png_chunk(b"IEND", b""))


def png(text: str | bytes, *, border: int = 2, error: str = "M") -> bytes:
    """The QR code for ``text`` as a PNG, one pixel a module, ``border`` modules of quiet zone."""
    symbol, value, _ = _bordered(text, border, error)
    return _png(value, symbol, border)


def png_svg(text: str | bytes, *, border: int = 2, css_class: str = "qr", label: str | None = None,
            error: str = "M", xmlns: bool = True) -> str:
    """An inline SVG of the QR code for ``text`` that holds it as a PNG image (a ``data:`` URI,
    drawn with ``image-rendering="pixelated"``, so each module stays a sharp square at any size
    and in print): a third of the bytes of :func:`svg`'s path, and still one ``<svg>`` with a
    ``viewBox`` of one unit a module, which the page's sharing tools turn into downloads.

    ``xmlns=False`` leaves out the namespace declaration, which an ``<svg>`` inside HTML does not
    need (the HTML parser puts it in the SVG namespace, HTML §13.2.6.5) and which ``XMLSerializer``
    writes when a script saves the element as a file."""
    symbol, value, side = _bordered(text, border, error)
    label = _label(text) if label is None else label
    data = base64.b64encode(_png(value, symbol, border)).decode("ascii")
    namespace = ' xmlns="http://www.w3.org/2000/svg"' if xmlns else ""
    return (f'<svg{namespace} viewBox="0 0 {side} {side}" '
            f'class="{_escape(css_class)}" role="img" aria-label="{_escape(label)}">'
            f'<image width="{side}" height="{side}" image-rendering="pixelated" '
            f'href="data:image/png;base64,{data}"/></svg>')
