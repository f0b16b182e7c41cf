#!/usr/bin/python3
# RFC 2217 clients for the hardware-in-the-loop suite, run inside the namespace that reaches the
# device (ip netns exec NS /usr/bin/python3 rfc2217-client.py MODE HOST PORT). One JSON object per
# stdout line, one per step, so the test can check each step against the line's UART.
#
#   pyserial: pyserial's own RFC 2217 client (serial.serial_for_url("rfc2217://HOST:PORT")): opens the
#     port (pyserial raises "Remote does not accept parameter change" if a reply is missing or wrong),
#     exchanges data with the line (waits for "go" on stdin before reading), then changes baud rate,
#     data bits, parity, stop bits, DTR, RTS, sends BREAK, closes.
#   cisco: a raw socket speaking Cisco's 1-byte SET-BAUDRATE (index 14 = 115200, 10 = 19200) and
#     printing the server's replies.
import json
import socket
import sys
import time

STEP_PAUSE_S = 0.15


def say(**fields):
    print(json.dumps(fields), flush=True)


def pyserial_client(host, port):
    import serial

    s = serial.serial_for_url("rfc2217://%s:%d" % (host, port), timeout=0.2)
    say(step="open", baudrate=s.baudrate, bytesize=s.bytesize, parity=s.parity, stopbits=s.stopbits)
    s.write(b"py-to-line\r\n")
    s.flush()
    say(step="sent")
    sys.stdin.readline()  # the test wrote to the line
    got = b""
    deadline = time.time() + 10
    while b"line-to-py\r\n" not in got and time.time() < deadline:
        got += s.read(64)
    say(step="read", data=got.decode("latin1"))
    for step, apply in (
        ("baudrate", lambda: setattr(s, "baudrate", 115200)),
        ("bytesize", lambda: setattr(s, "bytesize", serial.SEVENBITS)),
        ("parity", lambda: setattr(s, "parity", serial.PARITY_EVEN)),
        ("stopbits", lambda: setattr(s, "stopbits", serial.STOPBITS_TWO)),
        ("dtr-off", lambda: setattr(s, "dtr", False)),
        ("rts-off", lambda: setattr(s, "rts", False)),
        ("dtr-on", lambda: setattr(s, "dtr", True)),
        ("rts-on", lambda: setattr(s, "rts", True)),
        ("break", lambda: s.send_break(0.3)),
    ):
        apply()
        say(step=step)
        time.sleep(STEP_PAUSE_S)
    say(step="settings", baudrate=s.baudrate, bytesize=s.bytesize, parity=s.parity, stopbits=s.stopbits)
    s.close()
    say(step="closed")


IAC, SB, SE, WILL, DO = 255, 250, 240, 251, 253
COM_PORT = 44


def read_until(sock, wanted, timeout_s=5):
    got = b""
    deadline = time.time() + timeout_s
    while wanted not in got and time.time() < deadline:
        sock.settimeout(max(0.01, deadline - time.time()))
        try:
            chunk = sock.recv(256)
        except socket.timeout:
            break
        if not chunk:
            break
        got += chunk
    return got


def cisco_client(host, port):
    sock = socket.create_connection((host, port), timeout=5)
    sock.sendall(bytes([IAC, WILL, COM_PORT]))
    got = read_until(sock, bytes([IAC, DO, COM_PORT]))
    say(step="will", agreed=bytes([IAC, DO, COM_PORT]) in got)
    for index in (14, 10):
        sock.sendall(bytes([IAC, SB, COM_PORT, 1, index, IAC, SE]))
        reply = bytes([IAC, SB, COM_PORT, 101])
        got = read_until(sock, reply)
        tail = got[got.find(reply):] if reply in got else b""
        end = tail.find(bytes([IAC, SE]))
        value = list(tail[len(reply):end]) if end >= 0 else None
        say(step="baud-index", index=index, reply=value)
        time.sleep(STEP_PAUSE_S)
    sock.close()
    say(step="closed")


if __name__ == "__main__":
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        (pyserial_client if mode == "pyserial" else cisco_client)(host, port)
    except Exception as error:  # reported as a step, so the test shows pyserial's own words
        say(step="error", type=type(error).__name__, message=str(error))
        sys.exit(1)
