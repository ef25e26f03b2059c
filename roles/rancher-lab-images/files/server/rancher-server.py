#!/usr/bin/env python3
"""rancher/server as the tsplay lab builds it: a stand-in for Rancher 1.6's server, not Rancher.

Run as the guide runs rancher/server:

    docker run -d --restart=unless-stopped -p 8080:8080 -p 9345:9345 rancher/server:TAG \
      --db-host H --db-port P --db-user U --db-pass PW --db-name cattle \
      [--db-strict-enforcing] [--advertise-address IP]

It keeps every piece of state in the cattle database (MariaDB/Galera) through the mariadb client,
so any server of an HA pair sees the same tokens and hosts. It serves the API the lab's roles and
tests use (/ping, /v1, registration tokens, the agent's script and registration, hosts, cluster
membership), holds the agents' websockets (/v1/connectbackend: every message updates the host's
last_ping), listens on 9345 (HA) and, with CATTLE_PROMETHEUS_EXPORTER=true, serves Prometheus
text on 9108. It never serves without its database, and never prints the database password.
Python 3's standard library only.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import signal
import socket
import socketserver
import struct
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

VERSION = os.environ.get('RANCHER_SERVER_VERSION', 'dev')
AGENT_IMAGE = os.environ.get('RANCHER_AGENT_IMAGE', 'rancher/agent:v1.2.9')
# How long to retry the database at start before giving up (docker's restart policy tries again).
DB_WAIT_SECONDS = float(os.environ.get('RANCHER_LAB_DB_WAIT', '60'))
HEARTBEAT_SECONDS = 5
# A host whose agent sent nothing for longer than this is disconnected.
AGENT_TIMEOUT_SECONDS = 30
WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC11B85'
STRICT = "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_DATE,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION';\n"
SCHEMA = """
CREATE TABLE IF NOT EXISTS registration_token (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  project_id VARCHAR(64) NOT NULL,
  token VARCHAR(128) NOT NULL UNIQUE,
  state VARCHAR(32) NOT NULL DEFAULT 'active',
  created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS host (
  uuid VARCHAR(64) NOT NULL PRIMARY KEY,
  hostname VARCHAR(255) NOT NULL,
  agent_state VARCHAR(32) NOT NULL DEFAULT 'registering',
  last_ping DATETIME NULL,
  created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  registration_token VARCHAR(128) NULL
) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS cluster_membership (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  advertise_address VARCHAR(255) NOT NULL,
  version VARCHAR(64) NOT NULL,
  heartbeat DATETIME NOT NULL,
  started DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;
"""
stats = {'requests': 0, 'websockets': 0, 'websocket_messages': 0}
stats_lock = threading.Lock()


def log(message):
    print(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {message}", flush=True)


def count(name, by=1):
    with stats_lock:
        stats[name] += by


def lit(value):
    """An SQL string literal (MariaDB's default sql_mode: backslash escapes)."""
    if value is None:
        return 'NULL'
    text = str(value).replace('\\', '\\\\').replace("'", "\\'").replace('\0', '\\0')
    return f"'{text}'"


class DbError(Exception):
    pass


class Db:
    """The cattle database through the mariadb client: credentials in a 0600 defaults file only."""

    def __init__(self, args):
        folder = '/run/rancher-lab'
        os.makedirs(folder, mode=0o700, exist_ok=True)
        self.path = os.path.join(folder, 'db.cnf')
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)

        def quoted(value):
            return '"' + value.replace('\\', '\\\\').replace('"', '\\"') + '"'

        with os.fdopen(fd, 'w') as f:
            f.write('[client]\n')
            f.write(f'host={quoted(args.db_host)}\nport={args.db_port}\nuser={quoted(args.db_user)}\n')
            f.write(f'password={quoted(args.db_pass)}\ndatabase={quoted(args.db_name)}\nconnect-timeout=3\n')
        self.strict = args.db_strict_enforcing
        self.where = f'{args.db_user}@{args.db_host}:{args.db_port}/{args.db_name}'

    def query(self, sql):
        """Rows of the last statement's result, each a list of strings (None for NULL)."""
        text = (STRICT if self.strict else '') + sql
        try:
            done = subprocess.run(['mariadb', f'--defaults-file={self.path}', '--batch', '--skip-column-names'],
                                  input=text, capture_output=True, text=True, timeout=20)
        except subprocess.TimeoutExpired:
            raise DbError('the mariadb client timed out after 20 s') from None
        if done.returncode != 0:
            raise DbError(done.stderr.strip() or f'mariadb exited {done.returncode}')
        rows = []
        for line in done.stdout.splitlines():
            rows.append([None if cell == 'NULL' else cell.replace('\\t', '\t').replace('\\n', '\n').replace('\\\\', '\\')
                         for cell in line.split('\t')])
        return rows


class Server:
    """What the handlers share: the database, this member's identity, the agents' websockets."""

    def __init__(self, db, member, address):
        self.db = db
        self.member = member
        self.address = address

    def heartbeat(self, starting=False):
        self.db.query(
            'INSERT INTO cluster_membership (id, advertise_address, version, heartbeat) '
            f'VALUES ({lit(self.member)}, {lit(self.address)}, {lit(VERSION)}, NOW()) '
            'ON DUPLICATE KEY UPDATE advertise_address = VALUES(advertise_address), '
            f'version = VALUES(version), heartbeat = NOW(){", started = NOW()" if starting else ""};')

    def tokens(self, project):
        rows = self.db.query(f"SELECT id, token, state FROM registration_token WHERE project_id = {lit(project)} "
                             "AND state = 'active' ORDER BY created, id;")
        return [{'id': r[0], 'token': r[1], 'state': r[2]} for r in rows]

    def create_token(self, project):
        token = secrets.token_hex(20).upper()
        # One statement: two servers asked at once still leave one active token per project.
        self.db.query(
            'INSERT INTO registration_token (id, project_id, token, state) '
            f"SELECT {lit('1c' + secrets.token_hex(4))}, {lit(project)}, {lit(token)}, 'active' FROM DUAL "
            f"WHERE NOT EXISTS (SELECT 1 FROM registration_token WHERE project_id = {lit(project)} AND state = 'active');")

    def token_known(self, token):
        return bool(self.db.query(f"SELECT 1 FROM registration_token WHERE token = {lit(token)} AND state = 'active';"))

    def register(self, token, uuid, hostname):
        self.db.query(
            'INSERT INTO host (uuid, hostname, agent_state, last_ping, registration_token) '
            f"VALUES ({lit(uuid)}, {lit(hostname)}, 'active', NOW(), {lit(token)}) "
            "ON DUPLICATE KEY UPDATE hostname = VALUES(hostname), agent_state = 'active', last_ping = NOW(), "
            'registration_token = VALUES(registration_token);')

    def ping(self, uuid):
        self.db.query(f"UPDATE host SET last_ping = NOW(), agent_state = 'active' WHERE uuid = {lit(uuid)};")

    def hosts(self):
        rows = self.db.query('SELECT uuid, hostname, TIMESTAMPDIFF(SECOND, last_ping, NOW()), created FROM host ORDER BY created, uuid;')
        result = []
        for uuid, hostname, age, created in rows:
            seen = age is not None and int(age) <= AGENT_TIMEOUT_SECONDS
            result.append({'id': '1h' + uuid.replace('-', '')[:8], 'type': 'host', 'uuid': uuid, 'hostname': hostname,
                           'state': 'active', 'agentState': 'active' if seen else 'disconnected',
                           'lastPingAge': None if age is None else int(age), 'created': created})
        return result

    def members(self):
        rows = self.db.query('SELECT id, advertise_address, version, TIMESTAMPDIFF(SECOND, heartbeat, NOW()), started '
                             'FROM cluster_membership ORDER BY id;')
        return [{'id': r[0], 'type': 'clusterMembership', 'advertiseAddress': r[1], 'version': r[2],
                 'heartbeatAge': int(r[3]), 'started': r[4]} for r in rows]


def token_view(server_host, token):
    url = f'http://{server_host}/v1/scripts/{token["token"]}'
    return {'id': token['id'], 'type': 'registrationToken', 'token': token['token'], 'state': token['state'],
            'registrationUrl': url, 'image': AGENT_IMAGE,
            'command': 'sudo docker run --rm --privileged -v /var/run/docker.sock:/var/run/docker.sock '
                       f'-v /var/lib/rancher:/var/lib/rancher {AGENT_IMAGE} {url}'}


def ws_read(sock_file):
    """One frame from a client: (opcode, payload), or None when the connection ended."""
    head = sock_file.read(2)
    if len(head) < 2:
        return None
    opcode = head[0] & 0x0F
    masked = head[1] & 0x80
    length = head[1] & 0x7F
    if length == 126:
        length = struct.unpack('>H', sock_file.read(2))[0]
    elif length == 127:
        length = struct.unpack('>Q', sock_file.read(8))[0]
    mask = sock_file.read(4) if masked else b''
    payload = sock_file.read(length)
    if len(payload) < length:
        return None
    if masked:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return opcode, payload


def ws_frame(opcode, payload=b''):
    """A server frame (unmasked, final)."""
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([n])
    elif n < 65536:
        head += bytes([126]) + struct.pack('>H', n)
    else:
        head += bytes([127]) + struct.pack('>Q', n)
    return head + payload


class Api(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = f'rancher-lab/{VERSION}'
    app = None  # the Server, set at start

    def log_message(self, format, *args):  # noqa: A002 (BaseHTTPRequestHandler's signature)
        log(f'{self.address_string()} {format % args}')

    def reply(self, code, body, kind='application/json'):
        data = (json.dumps(body, indent=1) + '\n' if kind == 'application/json' else body).encode()
        self.send_response(code)
        self.send_header('Content-Type', kind)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(data)

    def error(self, code, message):
        self.reply(code, {'type': 'error', 'status': code, 'message': message})

    def body(self):
        try:
            return json.loads(self.raw or b'{}')
        except ValueError:
            return None

    def route(self):
        count('requests')
        # Read every request's body, used or not: the next request on a kept-alive connection follows it.
        length = int(self.headers.get('Content-Length') or 0)
        self.raw = self.rfile.read(length) if length else b''
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path.rstrip('/') or '/'
        try:
            self.dispatch(path, query)
        except DbError as e:
            log(f'database error on {self.command} {path}: {e}')
            self.error(503, f'the cattle database did not answer: {e}')

    def dispatch(self, path, query):
        app, method = self.app, self.command
        host = self.headers.get('Host') or f'{app.address}:8080'
        if path == '/ping' and method in ('GET', 'HEAD'):
            return self.reply(200, 'pong', 'text/plain')
        if path == '/' and method in ('GET', 'HEAD'):
            return self.reply(200, f'<!DOCTYPE html>\n<html><head><title>Rancher {VERSION}</title></head>'
                                   f'<body><h1>Rancher {VERSION}</h1><p>tsplay lab stand-in for rancher/server '
                                   f'{VERSION}: the API is at <a href="/v1">/v1</a>.</p></body></html>\n', 'text/html')
        if path == '/v1' and method == 'GET':
            links = {name: f'http://{host}/v1/{name}' for name in ('registrationtokens', 'hosts', 'clustermembership')}
            return self.reply(200, {'id': 'v1', 'type': 'apiVersion', 'version': VERSION, 'links': links})
        if path == '/v1/registrationtokens':
            project = query.get('projectId', '1a5')
            if method == 'POST':
                if not app.tokens(project):
                    app.create_token(project)
                    log(f'registration token made for project {project}')
                return self.reply(201, token_view(host, app.tokens(project)[0]))
            if method == 'GET':
                return self.reply(200, {'type': 'collection', 'resourceType': 'registrationToken',
                                        'data': [token_view(host, t) for t in app.tokens(project)]})
        m = re.fullmatch(r'/v1/scripts/([A-Za-z0-9]+)', path)
        if m and method == 'GET':
            if not app.token_known(m.group(1)):
                return self.error(401, 'unknown or inactive registration token')
            return self.reply(200, '#!/bin/sh\n'
                                   'export CATTLE_REGISTRATION_ACCESS_KEY="registrationToken"\n'
                                   f'export CATTLE_REGISTRATION_SECRET_KEY="{m.group(1)}"\n'
                                   f'export CATTLE_URL="http://{host}/v1"\n'
                                   f'export RANCHER_AGENT_IMAGE="{AGENT_IMAGE}"\n', 'text/plain')
        if path == '/v1/register' and method == 'POST':
            return self.register()
        if path == '/v1/hosts' and method == 'GET':
            return self.reply(200, {'type': 'collection', 'resourceType': 'host', 'data': app.hosts()})
        if path == '/v1/clustermembership' and method == 'GET':
            return self.reply(200, {'type': 'collection', 'resourceType': 'clusterMembership', 'data': app.members()})
        if path == '/v1/connectbackend' and method == 'GET':
            return self.websocket(query)
        return self.error(404, f'no {method} {path} here')

    def register(self):
        body = self.body() or {}
        token, uuid, hostname = (str(body.get(k) or '') for k in ('token', 'uuid', 'hostname'))
        if not re.fullmatch(r'[0-9a-fA-F-]{8,64}', uuid) or not re.fullmatch(r'[A-Za-z0-9._-]{1,255}', hostname):
            return self.error(422, 'register needs token, uuid (hex and dashes) and hostname')
        if not self.app.token_known(token):
            return self.error(401, 'unknown or inactive registration token')
        self.app.register(token, uuid, hostname)
        log(f'host {hostname} registered (uuid {uuid})')
        return self.reply(200, {'type': 'host', 'uuid': uuid, 'hostname': hostname, 'state': 'active'})

    def websocket(self, query):
        """RFC 6455 upgrade; every frame from the agent counts as a ping of its host."""
        key = self.headers.get('Sec-WebSocket-Key')
        if (self.headers.get('Upgrade') or '').lower() != 'websocket' or not key:
            return self.error(400, 'connectbackend is a websocket: Upgrade: websocket and Sec-WebSocket-Key expected')
        token, uuid = query.get('token', ''), query.get('uuid', '')
        if not self.app.token_known(token):
            return self.error(401, 'unknown or inactive registration token')
        if not any(h['uuid'] == uuid for h in self.app.hosts()):
            return self.error(404, f'no host with uuid {uuid} is registered')
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.send_response(101, 'Switching Protocols')
        self.send_header('Upgrade', 'websocket')
        self.send_header('Connection', 'Upgrade')
        self.send_header('Sec-WebSocket-Accept', accept)
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        self.app.ping(uuid)
        count('websockets')
        log(f'agent {uuid} connected from {self.client_address[0]}')
        reason = 'closed by the agent'
        self.connection.settimeout(AGENT_TIMEOUT_SECONDS)
        try:
            while True:
                frame = ws_read(self.rfile)
                if frame is None:
                    reason = 'connection ended'
                    break
                opcode, payload = frame
                count('websocket_messages')
                self.app.ping(uuid)
                if opcode == 0x8:
                    self.wfile.write(ws_frame(0x8, payload[:2]))
                    break
                if opcode == 0x9:
                    self.wfile.write(ws_frame(0xA, payload))
                elif opcode == 0x1:
                    self.wfile.write(ws_frame(0x1, json.dumps({'type': 'pong', 'version': VERSION}).encode()))
                self.wfile.flush()
        except (OSError, DbError) as e:
            reason = str(e) or type(e).__name__
        finally:
            count('websockets', -1)
            log(f'agent {uuid} disconnected: {reason}')

    do_GET = do_POST = do_HEAD = route


class Metrics(BaseHTTPRequestHandler):
    app = None

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_GET(self):
        if urlsplit(self.path).path != '/metrics':
            self.send_error(404)
            return
        lines = [f'# HELP rancher_lab_info The tsplay lab stand-in of rancher/server.',
                 '# TYPE rancher_lab_info gauge', f'rancher_lab_info{{version="{VERSION}"}} 1']
        try:
            hosts = self.app.hosts()
            members = self.app.members()
            up = 1
        except DbError:
            hosts, members, up = [], [], 0
        lines += ['# TYPE rancher_lab_db_up gauge', f'rancher_lab_db_up {up}',
                  '# TYPE rancher_hosts gauge']
        for state in ('active', 'disconnected'):
            lines.append(f'rancher_hosts{{agent_state="{state}"}} {sum(1 for h in hosts if h["agentState"] == state)}')
        with stats_lock:
            snapshot = dict(stats)
        lines += ['# TYPE rancher_cluster_members gauge', f'rancher_cluster_members {len(members)}',
                  '# TYPE rancher_lab_http_requests_total counter', f'rancher_lab_http_requests_total {snapshot["requests"]}',
                  '# TYPE rancher_lab_websockets gauge', f'rancher_lab_websockets {snapshot["websockets"]}',
                  '# TYPE rancher_lab_websocket_messages_total counter',
                  f'rancher_lab_websocket_messages_total {snapshot["websocket_messages"]}']
        data = ('\n'.join(lines) + '\n').encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; version=0.0.4')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Ha(socketserver.BaseRequestHandler):
    """Port 9345, Rancher HA's: says who answers, and closes."""
    member = ''

    def handle(self):
        self.request.sendall(f'rancher-lab-ha {VERSION} {self.member}\n'.encode())


def fail(message):
    print(f'rancher-server: {message}', file=sys.stderr, flush=True)
    sys.exit(1)


def wait_for(db):
    deadline = time.monotonic() + DB_WAIT_SECONDS
    while True:
        try:
            db.query('SELECT 1;')
            return
        except DbError as e:
            if time.monotonic() >= deadline:
                fail(f'cannot reach the cattle database {db.where} after {DB_WAIT_SECONDS:.0f} s, giving up '
                     f'(this server does not run without its database): {e}')
            log(f'waiting for the cattle database {db.where}: {e}')
            time.sleep(2)


def serve(port, handler):
    httpd = ThreadingHTTPServer(('0.0.0.0', port), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main():
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    parser = argparse.ArgumentParser(prog='rancher-server', description=__doc__.split('\n')[0])
    parser.add_argument('--db-host')
    parser.add_argument('--db-port', type=int, default=3306)
    parser.add_argument('--db-user', default='cattle')
    parser.add_argument('--db-pass', default='cattle')
    parser.add_argument('--db-name', default='cattle')
    parser.add_argument('--db-strict-enforcing', action='store_true')
    parser.add_argument('--advertise-address')
    parser.add_argument('--advertise-http-port', type=int, default=8080)
    args, unknown = parser.parse_known_args()
    log(f'rancher/server {VERSION} (tsplay lab stand-in) starting')
    if 'JAVA_OPTS' in os.environ:
        log(f'JAVA_OPTS: {os.environ["JAVA_OPTS"]}')
    if unknown:
        log(f'ignoring {len(unknown)} argument(s) this stand-in does not know')
    if not args.db_host:
        fail('no --db-host given: this server keeps its state in the cattle database (MariaDB) and does not run '
             'without it (the embedded database of rancher/server is not part of this lab image)')
    db = Db(args)
    log(f'database {db.where}{" (strict sql_mode)" if args.db_strict_enforcing else ""}')
    wait_for(db)
    db.query(SCHEMA)
    address = args.advertise_address or socket.gethostbyname(socket.gethostname())
    member = f'{address}:{args.advertise_http_port}'
    app = Server(db, member, address)
    app.heartbeat(starting=True)
    Api.app = Metrics.app = app
    Ha.member = member

    def beat():
        while True:
            time.sleep(HEARTBEAT_SECONDS)
            try:
                app.heartbeat()
            except DbError as e:
                log(f'cluster heartbeat failed: {e}')

    threading.Thread(target=beat, daemon=True).start()
    ha = socketserver.ThreadingTCPServer(('0.0.0.0', 9345), Ha)
    ha.daemon_threads = True
    threading.Thread(target=ha.serve_forever, daemon=True).start()
    if os.environ.get('CATTLE_PROMETHEUS_EXPORTER', '').lower() == 'true':
        serve(9108, Metrics)
        log('Prometheus metrics on :9108/metrics')
    log(f'cluster member {member}; API on :8080, HA on :9345')
    httpd = ThreadingHTTPServer(('0.0.0.0', 8080), Api)
    httpd.daemon_threads = True
    httpd.serve_forever()


if __name__ == '__main__':
    main()
