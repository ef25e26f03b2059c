#!/usr/bin/env python3
"""rancher/agent as the tsplay lab builds it: a stand-in for Rancher 1.6's agent, not Rancher.

    docker run --rm --privileged -v /var/run/docker.sock:/var/run/docker.sock \
      -v /var/lib/rancher:/var/lib/rancher rancher/agent:TAG http://SERVER:8080/v1/scripts/TOKEN

fetches the registration script, keeps the host's uuid in /var/lib/rancher/state (made once),
reads the host's name from the Docker API, registers the host with the server, starts the
long-running `rancher-agent` container (same image, command `run`, network host, privileged,
restart always; an existing one is replaced) through the docker socket, and exits 0.

    rancher-agent run        (CATTLE_URL, CATTLE_REGISTRATION_SECRET_KEY, CATTLE_AGENT_UUID)

holds the websocket to the server's /v1/connectbackend, pings it every 5 s and reconnects with a
backoff when the server or the path goes away. Python 3's standard library only.
"""
import base64
import hashlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import struct
import sys
import threading
import time
import uuid as uuidlib
from urllib.parse import quote, urlsplit
from urllib.request import Request, urlopen

VERSION = os.environ.get('RANCHER_AGENT_VERSION', 'dev')
STATE_DIR = '/var/lib/rancher/state'
DOCKER_SOCKET = '/var/run/docker.sock'
CONTAINER = 'rancher-agent'
PING_SECONDS = 5
# Without a frame back for this long, the connection counts as lost.
SILENCE_SECONDS = 15
WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC11B85'


def log(message):
    print(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} rancher-agent {VERSION}: {message}", flush=True)


def fail(message):
    print(f'rancher-agent: {message}', file=sys.stderr, flush=True)
    sys.exit(1)


class DockerSocket(http.client.HTTPConnection):
    """HTTP to dockerd over its unix socket."""

    def __init__(self):
        super().__init__('localhost', timeout=60)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(60)
        self.sock.connect(DOCKER_SOCKET)


def docker(method, path, body=None, ok=(200, 201, 204)):
    conn = DockerSocket()
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={'Content-Type': 'application/json'} if data else {})
        res = conn.getresponse()
        raw = res.read()
    except OSError as e:
        fail(f'cannot talk to dockerd on {DOCKER_SOCKET} (is it mounted?): {e}')
    finally:
        conn.close()
    if res.status not in ok:
        fail(f'dockerd answered {res.status} to {method} {path}: {raw.decode(errors="replace").strip()}')
    return res.status, json.loads(raw) if raw.strip() else None


def host_uuid():
    """The host's uuid: made once, then read from the state folder on every run."""
    os.makedirs(STATE_DIR, exist_ok=True)
    path = os.path.join(STATE_DIR, 'agent-uuid')
    if os.path.exists(path):
        with open(path) as f:
            value = f.read().strip()
        if value:
            return value
    value = str(uuidlib.uuid4())
    with open(path + '.tmp', 'w') as f:
        f.write(value + '\n')
    os.replace(path + '.tmp', path)
    log(f'new host uuid {value} in {path}')
    return value


def fetch_script(url):
    """The server's registration script as its exported variables; retries while the server starts."""
    for attempt in range(1, 16):
        try:
            with urlopen(url, timeout=10) as res:
                text = res.read().decode()
            return dict(re.findall(r'^export (\w+)="([^"]*)"$', text, re.M))
        except Exception as e:  # noqa: BLE001 (any failure of the fetch is retried, then reported)
            code = getattr(e, 'code', None)
            if code in (401, 403, 404):
                fail(f'the server refused the registration URL {url}: {code} (token unknown or inactive)')
            if attempt == 15:
                fail(f'cannot fetch the registration URL {url}: {e}')
            log(f'waiting for the server at {url}: {e}')
            time.sleep(2)
    return {}


def register(url):
    script = fetch_script(url)
    server = script.get('CATTLE_URL') or url.split('/scripts/')[0]
    token = script.get('CATTLE_REGISTRATION_SECRET_KEY', '')
    _, info = docker('GET', '/info')
    hostname = info['Name']
    uuid = host_uuid()
    body = json.dumps({'token': token, 'uuid': uuid, 'hostname': hostname}).encode()
    request = Request(f'{server}/register', data=body, method='POST', headers={'Content-Type': 'application/json'})
    try:
        with urlopen(request, timeout=20) as res:
            res.read()
    except Exception as e:  # noqa: BLE001
        fail(f'the server did not register host {hostname}: {e}')
    log(f'host {hostname} registered with {server} as {uuid}')
    # The image this container runs, so that rancher-agent runs the same one.
    _, me = docker('GET', f'/containers/{socket.gethostname()}/json', ok=(200, 404))
    image = (me or {}).get('Config', {}).get('Image') or script.get('RANCHER_AGENT_IMAGE') or f'rancher/agent:{VERSION}'
    status, _ = docker('DELETE', f'/containers/{CONTAINER}?force=true&v=false', ok=(204, 404))
    if status == 204:
        log(f'replaced the existing {CONTAINER} container')
    config = {
        'Image': image,
        'Cmd': ['run'],
        'Env': [f'CATTLE_URL={server}', f'CATTLE_REGISTRATION_SECRET_KEY={token}', f'CATTLE_AGENT_UUID={uuid}',
                f'CATTLE_HOSTNAME={hostname}'],
        'Labels': {'io.rancher.container.system': 'rancher-agent', 'tsplay.lab.image': 'true'},
        'HostConfig': {
            'Privileged': True,
            'NetworkMode': 'host',
            'RestartPolicy': {'Name': 'always'},
            'Binds': [f'{DOCKER_SOCKET}:{DOCKER_SOCKET}', '/var/lib/rancher:/var/lib/rancher'],
        },
    }
    _, made = docker('POST', f'/containers/create?name={CONTAINER}', config)
    docker('POST', f'/containers/{made["Id"]}/start')
    log(f'started {CONTAINER} ({image}, {made["Id"][:12]}): it holds the connection to {server}')


def ws_frame(opcode, payload=b''):
    """A client frame: final, masked (RFC 6455 5.3)."""
    mask = secrets.token_bytes(4)
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack('>H', n)
    else:
        head += bytes([0x80 | 127]) + struct.pack('>Q', n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def read_exact(f, n):
    data = f.read(n)
    if len(data) < n:
        raise ConnectionError('the server closed the connection')
    return data


def ws_read(f):
    head = read_exact(f, 2)
    length = head[1] & 0x7F
    if length == 126:
        length = struct.unpack('>H', read_exact(f, 2))[0]
    elif length == 127:
        length = struct.unpack('>Q', read_exact(f, 8))[0]
    return head[0] & 0x0F, read_exact(f, length)


def connect(server, token, uuid):
    """A websocket to /v1/connectbackend, handshake checked; returns the socket and its reader."""
    url = urlsplit(server)
    sock = socket.create_connection((url.hostname, url.port or 80), timeout=10)
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    path = f'{url.path.rstrip("/")}/connectbackend?token={quote(token)}&uuid={quote(uuid)}'
    sock.sendall((f'GET {path} HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                  f'Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n').encode())
    reader = sock.makefile('rb')
    status = reader.readline().decode(errors='replace').strip()
    headers = {}
    while True:
        line = reader.readline().decode(errors='replace').strip()
        if not line:
            break
        name, _, value = line.partition(':')
        headers[name.strip().lower()] = value.strip()
    expected = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
    if not status.startswith('HTTP/1.1 101') or headers.get('sec-websocket-accept') != expected:
        sock.close()
        raise ConnectionError(f'no websocket at {server}/connectbackend: {status or "no answer"}')
    sock.settimeout(SILENCE_SECONDS)
    return sock, reader


def hold(sock, reader):
    """Pings every PING_SECONDS until the connection fails; returns why it ended."""
    ended = threading.Event()
    why = ['']

    def listen():
        try:
            while True:
                opcode, _ = ws_read(reader)
                if opcode == 0x8:
                    why[0] = 'the server closed the websocket'
                    break
        except (OSError, ConnectionError) as e:
            why[0] = str(e) or 'no answer from the server'
        ended.set()

    threading.Thread(target=listen, daemon=True).start()
    n = 0
    while not ended.is_set():
        n += 1
        try:
            sock.sendall(ws_frame(0x9, f'ping {n}'.encode()))
            if n % 6 == 0:
                sock.sendall(ws_frame(0x1, json.dumps({'type': 'ping', 'seq': n}).encode()))
        except OSError as e:
            why[0] = why[0] or str(e)
            break
        ended.wait(PING_SECONDS)
    try:
        sock.close()
    except OSError:
        pass
    return why[0] or 'connection lost'


def run():
    server = os.environ.get('CATTLE_URL', '')
    token = os.environ.get('CATTLE_REGISTRATION_SECRET_KEY', '')
    uuid = os.environ.get('CATTLE_AGENT_UUID') or host_uuid()
    if not server or not token:
        fail('run needs CATTLE_URL and CATTLE_REGISTRATION_SECRET_KEY in its environment (the registration sets them)')
    backoff = 1
    while True:
        try:
            sock, reader = connect(server, token, uuid)
        except (OSError, ConnectionError) as e:
            log(f'cannot connect to {server}: {e}; again in {backoff} s')
            time.sleep(backoff)
            backoff = min(backoff * 2, 10)
            continue
        log(f'connected to {server} as host {uuid}')
        backoff = 1
        why = hold(sock, reader)
        log(f'disconnected from {server}: {why}')
        time.sleep(backoff)


def main():
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    args = sys.argv[1:]
    if args[:1] == ['run']:
        run()
    elif len(args) == 1 and re.match(r'https?://', args[0]):
        register(args[0])
    else:
        fail('usage: rancher-agent REGISTRATION_URL  (from the server: Add Host, custom), or rancher-agent run')


if __name__ == '__main__':
    main()
