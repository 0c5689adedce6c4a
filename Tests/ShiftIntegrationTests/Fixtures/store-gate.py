#!/usr/bin/env python3
"""A TCP forwarder a test can cut and restore, to make one service unreachable while its server keeps its data.

usage: store-gate.py TARGET_HOST:TARGET_PORT STATE_FILE

Listens on a free loopback port and forwards every connection to the target. It writes "open PORT" to STATE_FILE
once listening. SIGUSR1 cuts the gate: the listening socket and every open connection are closed, so new
connections are refused (ECONNREFUSED) and requests in flight fail; STATE_FILE then says "cut PORT". SIGUSR2 opens
it again on the same port ("open PORT"). SIGTERM ends it.
"""
import os
import signal
import socket
import sys
import threading

target_host, target_port = sys.argv[1].rsplit(":", 1)
state_file = sys.argv[2]
lock = threading.Lock()
connections = set()
wanted = {"open": True}
listener = None
port = 0


def write_state(state):
    temporary = state_file + ".tmp"
    with open(temporary, "w") as handle:
        handle.write(f"{state} {port}\n")
    os.replace(temporary, state_file)


def listen():
    global listener, port
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(64)
    server.settimeout(0.05)
    port = server.getsockname()[1]
    listener = server


def pipe(source, destination):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            destination.sendall(data)
    except OSError:
        pass
    for end in (source, destination):
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(client):
    try:
        upstream = socket.create_connection((target_host, int(target_port)))
    except OSError:
        client.close()
        return
    with lock:
        connections.update((client, upstream))
    threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
    pipe(upstream, client)
    with lock:
        connections.difference_update((client, upstream))
    client.close()
    upstream.close()


def cut():
    global listener
    if listener is not None:
        listener.close()
        listener = None
    with lock:
        for connection in list(connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


signal.signal(signal.SIGUSR1, lambda *_: wanted.update(open=False))
signal.signal(signal.SIGUSR2, lambda *_: wanted.update(open=True))
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

listen()
write_state("open")
while True:
    if wanted["open"] and listener is None:
        listen()
        write_state("open")
    elif not wanted["open"] and listener is not None:
        cut()
        write_state("cut")
    if listener is None:
        threading.Event().wait(0.05)
        continue
    try:
        client, _ = listener.accept()
    except (socket.timeout, OSError):
        continue
    threading.Thread(target=serve, args=(client,), daemon=True).start()
