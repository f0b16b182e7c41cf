#!/usr/bin/python3
# Records the bytes a real telnet / RFC 2217 client sends, for the fixtures in fixtures.ts.
# A tiny scripted server on 127.0.0.1: optionally sends a greeting, answers each DO/WILL for the
# options in ACCEPT with WILL/DO (others with WONT/DONT), answers RFC 2217 commands with code+100
# and the same value, and prints every chunk the client sent as hex.
# Usage: capture.py PORT SECONDS [greeting-hex]
import socket, sys, time

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
ACCEPT = {0, 1, 3, 24, 31, 44}

def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    greeting = bytes.fromhex(sys.argv[3]) if len(sys.argv) > 3 else b""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    print("READY", flush=True)
    conn, _ = srv.accept()
    conn.settimeout(0.1)
    if greeting:
        conn.sendall(greeting)
    answered = set()
    end = time.time() + seconds
    buf = b""
    while time.time() < end:
        try:
            chunk = conn.recv(4096)
        except socket.timeout:
            continue
        if not chunk:
            break
        print("CHUNK", chunk.hex(), flush=True)
        buf += chunk
        i = 0
        while i + 2 < len(buf) + 0 and i < len(buf):
            if buf[i] == IAC and i + 2 < len(buf) + 1 and buf[i + 1] in (DO, WILL, DONT, WONT):
                if i + 2 >= len(buf):
                    break
                verb, opt = buf[i + 1], buf[i + 2]
                if (verb, opt) not in answered and verb in (DO, WILL):
                    answered.add((verb, opt))
                    yes = opt in ACCEPT
                    reply = {DO: WILL if yes else WONT, WILL: DO if yes else DONT}[verb]
                    conn.sendall(bytes([IAC, reply, opt]))
                i += 3
            elif buf[i] == IAC and i + 1 < len(buf) and buf[i + 1] == SB:
                j = buf.find(bytes([IAC, SE]), i)
                if j < 0:
                    break
                body = buf[i + 2:j]
                if body[:1] == bytes([44]) and len(body) >= 2:
                    conn.sendall(bytes([IAC, SB, 44, body[1] + 100]) + body[2:] + bytes([IAC, SE]))
                i = j + 2
            else:
                i += 1
        buf = buf[i:]
    conn.close()

main()
