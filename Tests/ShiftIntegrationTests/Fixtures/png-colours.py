#!/usr/bin/env python3
"""Reads an 8-bit RGB or RGBA PNG (what Chromium's --screenshot writes) with the standard library alone and
prints JSON: its size, how many distinct colours it has, the colour of its top-left pixel, and how many pixels
are within a small distance of each colour given as an argument (#rrggbb).
Usage: png-colours.py FILE [#rrggbb ...]"""
import json, struct, sys, zlib

def read(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG: " + path)
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit("unsupported PNG (depth %d, colour type %d, interlace %d)" % (depth, colour, interlace))
    channels = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous, offset = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return width, height, channels, rows

width, height, channels, rows = read(sys.argv[1])
wanted = [tuple(int(h.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)) for h in sys.argv[2:]]
colours, near = set(), [0] * len(wanted)
for row in rows:
    for x in range(0, width * channels, channels):
        pixel = (row[x], row[x + 1], row[x + 2])
        colours.add(pixel)
        for index, colour in enumerate(wanted):
            if sum(abs(p - q) for p, q in zip(pixel, colour)) <= 24:
                near[index] += 1
print(json.dumps({"width": width, "height": height, "colours": len(colours),
                  "topLeft": "#%02x%02x%02x" % tuple(rows[0][:3]),
                  "near": {h: n for h, n in zip(sys.argv[2:], near)}}))
