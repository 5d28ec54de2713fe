#!/usr/bin/python3
"""fakemongod: a MongoDB-wire-compatible *test double* built from Debian packages.

  wire protocol / sockets / threads : python3-mockupdb  (MockupDB + autoresponder)
  query/update/aggregate semantics  : python3-mongomock (mongomock.MongoClient, in memory)

Run:  /usr/bin/python3 fakemongod.py --port 27017 [--verbose] [--exit-with-stdin]
      (--port 0 picks a free port; the ready line names it)
Prints "fakemongod ready on 127.0.0.1:<port>" when listening.  Standalone server,
maxWireVersion 21 (MongoDB 7.0), no auth, no TLS, no replica set / transactions /
change streams.  All requests are executed one at a time (mockupdb holds a lock
while autoresponding), which also makes findAndModify & friends atomic.
"""
import argparse
import datetime
import errno
import itertools
import random
import socket
import struct
import time
import traceback
from collections.abc import Mapping

import bson
from bson import Int64
from bson.binary import UuidRepresentation
from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument

import mockupdb
import mongomock
import mongomock.aggregate
import mongomock.collection
import mongomock.helpers
from mongomock import filtering

import fastindex

# ---------------------------------------------------------------------------
# Patches to mockupdb 1.8 (Debian python3-mockupdb)
# ---------------------------------------------------------------------------
# 1. Decode with UuidRepresentation.UNSPECIFIED so binary subtypes 3/4 stay
#    Binary objects and round-trip unchanged (default would re-encode UUIDs as
#    legacy subtype 3). Plain dicts are faster than OrderedDict.
CODEC = CodecOptions(document_class=dict, uuid_representation=UuidRepresentation.UNSPECIFIED)
mockupdb.CODEC_OPTIONS = CODEC


# 2. mockupdb reads messages with "msg += chunk" (quadratic for 48 MB batches).
def _recv_exact(sock, length):
    buf = bytearray(length)
    view = memoryview(buf)
    pos = 0
    while pos < length:
        n = sock.recv_into(view[pos:], length - pos)
        if n == 0:
            raise socket.error(errno.ECONNRESET, 'closed')
        pos += n
    return bytes(buf)


mockupdb.mock_server_receive = _recv_exact
# 3. _server_loop formats '%r' of every request (JSON dump of the whole batch)
#    even when not verbose. Make repr cheap.
mockupdb.Request.__repr__ = lambda self: '%s(%s)' % (
    type(self).__name__, (self.command_name if hasattr(self, 'command_name') else '') or '')

# ---------------------------------------------------------------------------
# Patches to mongomock 4.1.2 (Debian python3-mongomock)
# ---------------------------------------------------------------------------
# 4. Indexes: mongomock scans every document for each query and each unique check on insert
#    (inserts cost O(n^2); 2,000 customer results took 40 s) and copies every match before
#    skip/limit. fastindex keeps hash maps over each index's fields and uses them (see there).
fastindex.install()


# 5. Keep BSON integer widths: Python int arithmetic turns Int64 into a plain int,
#    re-encoded as Int32 (Hangfire.Mongo then fails with BsonInt32 -> BsonInt64 casts).
def _widen(result, *operands):
    if isinstance(result, int) and not isinstance(result, bool) and (
            any(isinstance(o, Int64) for o in operands) or not -2 ** 31 <= result < 2 ** 31):
        return Int64(result)
    return result


_orig_inc = mongomock.collection._inc_updater


def _inc_updater(doc, field_name, value):
    old = None
    if isinstance(doc, dict):
        old = doc.get(field_name)
    elif isinstance(doc, list) and field_name.isdigit() and int(field_name) < len(doc):
        old = doc[int(field_name)]
    _orig_inc(doc, field_name, value)
    key = field_name if isinstance(doc, dict) else int(field_name)
    doc[key] = _widen(doc[key], old, value)


mongomock.collection._updaters['$inc'] = _inc_updater
_orig_sum = mongomock.aggregate._sum_operation


def _sum_operation(values):
    values = list(values)
    return _widen(_orig_sum(values), *values)


mongomock.aggregate._GROUPING_OPERATOR_MAP['$sum'] = _sum_operation

# 6. mongomock validates every inserted document, and every $set value, by encoding it to BSON
#    with check_keys (pure-Python bson: ~20 us a document) and throws the bytes away. Documents
#    that came off the wire are encodable; only the key rules remain to check.
def _check_keys(value):
    for k, v in (value.items() if isinstance(value, Mapping) else enumerate(value)):
        if type(k) is str and (k.startswith('$') or '.' in k) and isinstance(value, Mapping):
            raise bson.errors.InvalidDocument("key '%s' must not %s" % (
                k, "start with '$'" if k.startswith('$') else "contain '.'"))
        if type(v) in _CONTAINERS or isinstance(v, Mapping):
            _check_keys(v)


_CONTAINERS = (dict, list, tuple)


class _KeyCheckingBson(object):
    @staticmethod
    def encode(document, check_keys=False, codec_options=None):
        if check_keys:
            _check_keys(document)
        else:
            bson.BSON.encode(document, check_keys, codec_options or CODEC)


mongomock.collection.BSON = _KeyCheckingBson


# 7. mongomock rebuilds every document, filter and update recursively to make dates naive UTC
#    with millisecond precision. Dates off the wire already are: return such values as they are.
_orig_patch_dates = mongomock.helpers.patch_datetime_awareness_in_document


def _needs_date_patch(value):
    t = type(value)
    if t is dict or t is list:
        for v in (value.values() if t is dict else value):
            tv = type(v)
            if tv in _SCALARS:
                continue
            if tv is datetime.datetime:
                if v.tzinfo is not None or v.microsecond % 1000:
                    return True
            elif _needs_date_patch(v):
                return True
        return False
    if t is datetime.datetime:
        return value.tzinfo is not None or value.microsecond % 1000 != 0
    return t not in _SCALARS   # tuples, other mappings, Timestamps: let mongomock rebuild them


_SCALARS = {str, int, float, bool, type(None), bson.ObjectId, bson.Binary, bytes, Int64}


def _patch_dates(value):
    return _orig_patch_dates(value) if _needs_date_patch(value) else value


mongomock.helpers.patch_datetime_awareness_in_document = _patch_dates


OP_REPLY, OP_MSG = 1, 2013
MORE_TO_COME = 2
MAX_BSON = 16 * 1024 * 1024
MAX_MSG = 48000000
MAX_BATCH_BYTES = 16 * 1024 * 1024 - 16 * 1024
START_TIME = time.time()

# MongoDB error codes used below
BAD_VALUE, NS_NOT_FOUND, INDEX_NOT_FOUND, CURSOR_NOT_FOUND = 2, 26, 27, 43
NS_EXISTS, CMD_NOT_FOUND, INDEX_OPTIONS_CONFLICT, DUP_KEY, NOT_IMPL = 48, 59, 85, 11000, 238
CODE_NAMES = {2: 'BadValue', 26: 'NamespaceNotFound', 27: 'IndexNotFound', 43: 'CursorNotFound',
              48: 'NamespaceExists', 59: 'CommandNotFound', 85: 'IndexOptionsConflict',
              11000: 'DuplicateKey', 238: 'NotImplemented', 8000: 'AtlasError', 1: 'InternalError',
              20: 'IllegalOperation', 9: 'FailedToParse', 72: 'InvalidOptions'}


class CmdError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code


def now_utc():
    d = datetime.datetime.utcnow()
    return d.replace(microsecond=d.microsecond - d.microsecond % 1000)


class FakeMongo(object):
    def __init__(self, port, verbose=False):
        self.client = mongomock.MongoClient()
        self.cursors = {}          # id -> dict(ns, docs(list of raw bytes), pos)
        self.coll_options = {}     # (db, coll) -> options passed to create (capped...)
        self.conn_ids = {}
        self.verbose = verbose
        self.server = mockupdb.MockupDB(port=port, verbose=False)
        self.server._address = ('127.0.0.1', port)   # bind loopback only
        self.server.autoresponds(self.handle)
        self.req_id = itertools.count(1)

    # ----------------------------------------------------------------- wire
    def send(self, request, doc):
        if isinstance(request, mockupdb.OpMsg):
            if request.flags & MORE_TO_COME:      # unacknowledged write: no reply
                return True
            data = struct.pack('<IB', 0, 0) + bson.encode(doc, codec_options=CODEC)
            opcode = OP_MSG
        else:                                       # legacy OP_QUERY handshake
            data = struct.pack('<iqii', 0, 0, 0, 1) + bson.encode(doc, codec_options=CODEC)
            opcode = OP_REPLY
        header = struct.pack('<iiii', 16 + len(data), next(self.req_id), request.request_id, opcode)
        request._client.sendall(header + data)
        return True

    def handle(self, request):
        t0 = time.time()
        try:
            if not request.is_command:
                raise CmdError(CMD_NOT_FOUND, 'legacy opcode %s not supported' % request.opcode)
            cmd = request.doc
            name = next(iter(cmd))
            db = cmd.get('$db') or (request.namespace or 'admin').split('.')[0]
            fn = getattr(self, 'cmd_' + name.lower(), None)
            if fn is None:
                raise CmdError(CMD_NOT_FOUND, "no such command: '%s'" % name)
            reply = fn(request, db, cmd[name], cmd)
            reply.setdefault('ok', 1.0)
        except CmdError as e:
            reply = err_doc(e.code, str(e))
        except mongomock.DuplicateKeyError as e:
            reply = err_doc(DUP_KEY, str(e) if str(e).startswith('E11000') else 'E11000 duplicate key error: %s' % e)
        except mongomock.OperationFailure as e:
            reply = err_doc(e.code or BAD_VALUE, str(e))
        except NotImplementedError as e:
            reply = err_doc(NOT_IMPL, 'fakemongod/mongomock: not implemented: %s' % e)
        except (ValueError, TypeError, KeyError) as e:
            reply = err_doc(BAD_VALUE, '%s: %s' % (type(e).__name__, e))
        except Exception as e:  # never kill the connection thread
            traceback.print_exc()
            reply = err_doc(1, 'internal error: %r' % e)
        if self.verbose:
            print('%7.1fms %s -> %s' % ((time.time() - t0) * 1000, summarize(request),
                                         summarize_reply(reply)), flush=True)
        return self.send(request, reply)

    # ------------------------------------------------------------ handshake
    def hello_doc(self, request, legacy):
        cid = self.conn_ids.setdefault(id(request._client), len(self.conn_ids) + 1)
        # no topologyVersion in the reply -> the driver uses the polling (not streaming) monitor
        d = {'helloOk': True}
        d['ismaster' if legacy else 'isWritablePrimary'] = True
        d.update(maxBsonObjectSize=MAX_BSON, maxMessageSizeBytes=MAX_MSG, maxWriteBatchSize=100000,
                 localTime=now_utc(), logicalSessionTimeoutMinutes=30, connectionId=cid,
                 minWireVersion=0, maxWireVersion=21, readOnly=False)
        return d

    def cmd_ismaster(self, request, db, arg, cmd):
        return self.hello_doc(request, True)

    def cmd_hello(self, request, db, arg, cmd):
        return self.hello_doc(request, False)

    def cmd_buildinfo(self, request, db, arg, cmd):
        return {'version': '7.0.0', 'versionArray': [7, 0, 0, 0], 'gitVersion': 'fakemongod',
                'bits': 64, 'maxBsonObjectSize': MAX_BSON, 'storageEngines': ['mongomock'],
                'modules': [], 'javascriptEngine': 'none', 'debug': False}

    def cmd_ping(self, *a):
        return {}

    cmd_endsessions = cmd_killsessions = cmd_refreshsessions = cmd_ping
    cmd_startsession = lambda self, *a: {'id': {'id': bson.Binary(random.randbytes(16), 4)},
                                         'timeoutMinutes': 30}

    def cmd_getparameter(self, request, db, arg, cmd):
        return {'featureCompatibilityVersion': {'version': '7.0'}, 'authenticationMechanisms': []}

    def cmd_serverstatus(self, request, db, arg, cmd):
        return {'host': 'fakemongod', 'version': '7.0.0', 'process': 'mongod',
                'uptime': float(time.time() - START_TIME), 'localTime': now_utc(),
                'connections': {'current': len(self.conn_ids)}}

    def cmd_hostinfo(self, *a):
        return {'system': {'currentTime': now_utc(), 'hostname': 'fakemongod'}, 'os': {}, 'extra': {}}

    def cmd_connectionstatus(self, *a):
        return {'authInfo': {'authenticatedUsers': [], 'authenticatedUserRoles': []}}

    def cmd_whatsmyuri(self, request, *a):
        return {'you': '%s:%d' % request._client.getpeername()[:2]}

    def cmd_getcmdlineopts(self, *a):
        return {'argv': ['fakemongod'], 'parsed': {}}

    def cmd_getlasterror(self, *a):
        return {'err': None, 'n': 0}

    # ------------------------------------------------------------- helpers
    def coll(self, db, name):
        if not isinstance(name, str):
            raise CmdError(BAD_VALUE, 'collection name must be a string')
        return self.client[db][name]

    def exists(self, db, name):
        return name in self.client[db].list_collection_names()

    def make_cursor(self, ns, docs, batch_size, single_batch=False, first_key='firstBatch',
                    tail=None):
        raws = [bson.encode(d, codec_options=CODEC) for d in docs]
        cur = {'ns': ns, 'docs': raws, 'pos': 0, 'tail': tail}
        batch = self.take(cur, 101 if batch_size is None else batch_size)
        cid = 0
        if (cur['pos'] < len(raws) or tail) and not single_batch:
            cid = random.randint(1, 2 ** 62)
            self.cursors[cid] = cur
        return {'cursor': {first_key: batch, 'id': Int64(cid), 'ns': ns}}

    @staticmethod
    def take(cur, limit):
        """Next batch: at most `limit` docs (None = no count limit) and ~16 MiB."""
        raws, pos, size, out = cur['docs'], cur['pos'], 0, []
        while pos < len(raws) and (limit is None or len(out) < limit):
            if out and size + len(raws[pos]) > MAX_BATCH_BYTES:
                break
            size += len(raws[pos])
            out.append(RawBSONDocument(raws[pos]))
            pos += 1
        cur['pos'] = pos
        return out

    # -------------------------------------------------------------- reads
    def cmd_find(self, request, db, name, cmd):
        c = self.coll(db, name)
        flt = cmd.get('filter') or {}
        sort = list((cmd.get('sort') or {}).items()) or None
        limit = int(cmd.get('limit') or 0)
        single = bool(cmd.get('singleBatch')) or limit < 0
        limit = abs(limit)
        for opt in ('collation', 'let', 'min', 'max', 'returnKey', 'showRecordId'):
            if cmd.get(opt):
                raise NotImplementedError('find option %s' % opt)
        proj = cmd.get('projection') or None
        if cmd.get('tailable'):
            if not self.coll_options.get((db, name), {}).get('capped'):
                raise CmdError(BAD_VALUE, 'error processing query: %s.%s tailable cursor '
                               'requested on non capped collection' % (db, name))
            docs = list(c.find(flt, proj))
            tail = {'filter': flt, 'proj': proj, 'seen': len(list(c.find({}, {'_id': 1}))),
                    'await': bool(cmd.get('awaitData')), 'db': db, 'coll': name}
            return self.make_cursor('%s.%s' % (db, name), docs, cmd.get('batchSize'), tail=tail)
        cursor = c.find(flt, proj, skip=int(cmd.get('skip') or 0), limit=limit, sort=sort)
        docs = list(cursor)
        bs = cmd.get('batchSize')
        if limit and (bs is None or bs > limit):
            bs = limit
        return self.make_cursor('%s.%s' % (db, name), docs, bs, single_batch=single)

    def cmd_getmore(self, request, db, cid, cmd):
        cur = self.cursors.get(int(cid))
        if cur is None:
            raise CmdError(CURSOR_NOT_FOUND, 'cursor id %d not found' % cid)
        if cur['tail'] and cur['pos'] >= len(cur['docs']):
            self.poll_tail(cur, cmd.get('maxTimeMS') or 1000)
        batch = self.take(cur, cmd.get('batchSize') or None)
        cid_out = int(cid)
        if cur['pos'] >= len(cur['docs']) and not cur['tail']:
            self.cursors.pop(int(cid), None)
            cid_out = 0
        return {'cursor': {'nextBatch': batch, 'id': Int64(cid_out), 'ns': cur['ns']}}

    def poll_tail(self, cur, max_ms):
        """Tailable cursor on a 'capped' collection: return documents inserted after the
        cursor's last position (natural order). awaitData: wait up to maxTimeMS with
        the server lock released so other connections can insert."""
        t = cur['tail']
        deadline = time.time() + max_ms / 1000.0
        while True:
            c = self.coll(t['db'], t['coll'])
            all_docs = list(c.find({}))
            new = all_docs[t['seen']:]
            t['seen'] = len(all_docs)
            new = [d for d in new if filtering.filter_applies(t['filter'], d)]
            if t['proj']:
                ids = [d['_id'] for d in new]
                new = list(c.find({'_id': {'$in': ids}}, t['proj'])) if ids else []
            if new or not t['await'] or time.time() >= deadline:
                cur['docs'] = [bson.encode(d, codec_options=CODEC) for d in new]
                cur['pos'] = 0
                return
            with self.server._unlock():
                time.sleep(0.05)

    def cmd_killcursors(self, request, db, name, cmd):
        killed, missing = [], []
        for cid in cmd.get('cursors', []):
            (killed if self.cursors.pop(int(cid), None) is not None else missing).append(cid)
        return {'cursorsKilled': killed, 'cursorsNotFound': missing, 'cursorsAlive': [],
                'cursorsUnknown': []}

    def cmd_count(self, request, db, name, cmd):
        kw = {}
        if cmd.get('skip'):
            kw['skip'] = int(cmd['skip'])
        if cmd.get('limit'):
            kw['limit'] = abs(int(cmd['limit']))
        return {'n': self.coll(db, name).count_documents(cmd.get('query') or {}, **kw)}

    def cmd_distinct(self, request, db, name, cmd):
        return {'values': self.coll(db, name).distinct(cmd['key'], cmd.get('query') or None)}

    def cmd_aggregate(self, request, db, name, cmd):
        if name == 1 or not isinstance(name, str):
            raise NotImplementedError('database-level aggregate')
        if cmd.get('explain'):
            raise NotImplementedError('explain')
        pipeline = subst_now(cmd.get('pipeline') or [], now_utc())
        c = self.coll(db, name)
        # push a leading $match down into find() (avoids deep-copying the whole collection)
        first = pipeline[0].get('$match') if pipeline and len(pipeline[0]) == 1 else None
        rest = pipeline[1:] if first is not None else pipeline
        source = list(c.find(first or {}))
        docs = list(mongomock.aggregate.process_pipeline(source, c.database, rest, None))
        if pipeline and any(k in pipeline[-1] for k in ('$out', '$merge')):
            docs = []
        bs = (cmd.get('cursor') or {}).get('batchSize')
        return self.make_cursor('%s.%s' % (db, name), docs, bs)

    # -------------------------------------------------------------- writes
    def cmd_insert(self, request, db, name, cmd):
        c = self.coll(db, name)
        docs = cmd.get('documents') or []
        ordered = cmd.get('ordered', True)
        n, errors = 0, []
        for i, d in enumerate(docs):
            try:
                c.insert_one(d)
                n += 1
            except Exception as e:  # pylint: disable=broad-except
                errors.append(write_error(i, e, c, d))
                if ordered:
                    break
        return with_errors({'n': n}, errors)

    def cmd_update(self, request, db, name, cmd):
        c = self.coll(db, name)
        ordered = cmd.get('ordered', True)
        n = modified = 0
        upserted, errors = [], []
        for i, st in enumerate(cmd.get('updates') or []):
            try:
                m, mod, up_id = self.do_update(c, st)
                n += m
                modified += mod
                if up_id is not None:
                    n += 1
                    upserted.append({'index': i, '_id': up_id})
            except Exception as e:  # pylint: disable=broad-except
                errors.append(write_error(i, e, c, st.get('u')))
                if ordered:
                    break
        reply = {'n': n, 'nModified': modified}
        if upserted:
            reply['upserted'] = upserted
        return with_errors(reply, errors)

    def do_update(self, c, st):
        q, u = st.get('q') or {}, st.get('u')
        upsert, multi = bool(st.get('upsert')), bool(st.get('multi'))
        for opt in ('collation', 'hint'):
            if st.get(opt):
                raise NotImplementedError('update option %s' % opt)
        if isinstance(u, list):
            raise NotImplementedError('pipeline-style update')
        is_ops = bool(u) and next(iter(u)).startswith('$')
        if is_ops and (st.get('arrayFilters') or '$[' in repr(list_paths(u))):
            return update_with_array_filters(c, q, u, st.get('arrayFilters') or [], multi, upsert)
        if not is_ops:
            if multi:
                raise CmdError(72, 'multi update is not supported for replacement-style update')
            r = c.replace_one(q, u, upsert=upsert)
        elif multi:
            r = c.update_many(q, u, upsert=upsert)
        else:
            r = c.update_one(q, u, upsert=upsert)
        return r.matched_count, r.modified_count, r.upserted_id

    def cmd_delete(self, request, db, name, cmd):
        c = self.coll(db, name)
        n, errors = 0, []
        for i, st in enumerate(cmd.get('deletes') or []):
            try:
                if st.get('collation') or st.get('hint'):
                    raise NotImplementedError('delete collation/hint')
                if int(st.get('limit', 0)) == 1:
                    n += c.delete_one(st.get('q') or {}).deleted_count
                else:
                    n += c.delete_many(st.get('q') or {}).deleted_count
            except Exception as e:  # pylint: disable=broad-except
                errors.append(write_error(i, e, c, None))
                if cmd.get('ordered', True):
                    break
        return with_errors({'n': n}, errors)

    def cmd_findandmodify(self, request, db, name, cmd):
        c = self.coll(db, name)
        q = cmd.get('query') or {}
        sort = list((cmd.get('sort') or {}).items()) or None
        fields = cmd.get('fields') or None
        upd = cmd.get('update')
        for opt in ('collation', 'hint', 'let'):
            if cmd.get(opt):
                raise NotImplementedError('findAndModify option %s' % opt)
        found = list(c.find(q, sort=sort, limit=1))
        doc = found[0] if found else None
        leo = {'n': 0}
        value = None
        if cmd.get('remove'):
            if upd is not None:
                raise CmdError(9, 'Cannot specify both an update and remove=true')
            if doc is not None:
                value = self.project(c, doc, fields)
                c.delete_one({'_id': doc['_id']})
                leo['n'] = 1
            return {'lastErrorObject': leo, 'value': value}
        if upd is None:
            raise CmdError(9, 'Either an update or remove=true must be specified')
        st = {'u': upd, 'upsert': bool(cmd.get('upsert')), 'multi': False,
              'arrayFilters': cmd.get('arrayFilters')}
        if doc is not None:
            before = self.project(c, doc, fields)
            self.do_update(c, dict(st, q={'_id': doc['_id']}, upsert=False))
            leo.update(n=1, updatedExisting=True)
            value = self.project(c, c.find_one({'_id': doc['_id']}), fields) if cmd.get('new') else before
        elif st['upsert']:
            _, _, up_id = self.do_update(c, dict(st, q=q))
            leo.update(n=1, updatedExisting=False, upserted=up_id)
            if cmd.get('new'):
                value = self.project(c, c.find_one({'_id': up_id}), fields)
        return {'lastErrorObject': leo, 'value': value}

    @staticmethod
    def project(c, doc, fields):
        if doc is None or not fields:
            return doc
        return c.find_one({'_id': doc['_id']}, fields)

    # --------------------------------------------------------- ddl / admin
    def cmd_create(self, request, db, name, cmd):
        if self.exists(db, name):
            raise CmdError(NS_EXISTS, 'Collection %s.%s already exists.' % (db, name))
        self.client[db].create_collection(name)
        opts = {k: v for k, v in cmd.items() if k not in ('create', 'lsid', 'writeConcern')
                and not k.startswith('$')}
        self.coll_options[(db, name)] = opts
        return {}

    def cmd_converttocapped(self, request, db, name, cmd):
        if not self.exists(db, name):
            raise CmdError(NS_NOT_FOUND, 'source collection %s.%s does not exist' % (db, name))
        self.coll_options[(db, name)] = {'capped': True, 'size': cmd.get('size')}
        return {}

    def cmd_collmod(self, request, db, name, cmd):
        return {}

    def cmd_collstats(self, request, db, name, cmd):
        c = self.coll(db, name)
        opts = self.coll_options.get((db, name), {})
        return {'ns': '%s.%s' % (db, name), 'count': c.count_documents({}), 'size': 0,
                'storageSize': 0, 'capped': bool(opts.get('capped')), 'nindexes': 1}

    def cmd_dbstats(self, request, db, *a):
        return {'db': db, 'collections': len(self.client[db].list_collection_names()),
                'objects': 0, 'dataSize': 0, 'storageSize': 0}

    def cmd_drop(self, request, db, name, cmd):
        self.client[db].drop_collection(name)
        self.coll_options.pop((db, name), None)
        return {'ns': '%s.%s' % (db, name), 'nIndexesWas': 1}

    def cmd_dropdatabase(self, request, db, arg, cmd):
        self.client.drop_database(db)
        for k in [k for k in self.coll_options if k[0] == db]:
            self.coll_options.pop(k)
        return {'dropped': db}

    def cmd_renamecollection(self, request, db, src, cmd):
        sdb, sname = src.split('.', 1)
        tdb, tname = cmd['to'].split('.', 1)
        if sdb != tdb:
            raise NotImplementedError('renameCollection across databases')
        if not self.exists(sdb, sname):
            raise CmdError(NS_NOT_FOUND, 'Source collection %s does not exist' % src)
        if self.exists(tdb, tname) and not cmd.get('dropTarget'):
            raise CmdError(NS_EXISTS, 'target namespace exists')
        self.client[sdb].rename_collection(sname, tname, dropTarget=bool(cmd.get('dropTarget')))
        if (sdb, sname) in self.coll_options:
            self.coll_options[(tdb, tname)] = self.coll_options.pop((sdb, sname))
        return {}

    def cmd_listdatabases(self, request, db, arg, cmd):
        dbs = [{'name': n, 'sizeOnDisk': 0, 'empty': False}
               for n in self.client.list_database_names()]
        if cmd.get('filter'):
            dbs = [d for d in dbs if filtering.filter_applies(cmd['filter'], d)]
        if cmd.get('nameOnly'):
            dbs = [{'name': d['name']} for d in dbs]
        return {'databases': dbs, 'totalSize': 0}

    def cmd_listcollections(self, request, db, arg, cmd):
        infos = []
        for n in sorted(self.client[db].list_collection_names()):
            infos.append({'name': n, 'type': 'collection',
                          'options': dict(self.coll_options.get((db, n), {})),
                          'info': {'readOnly': False},
                          'idIndex': {'v': 2, 'key': {'_id': 1}, 'name': '_id_'}})
        if cmd.get('filter'):
            infos = [i for i in infos if filtering.filter_applies(cmd['filter'], i)]
        if cmd.get('nameOnly'):
            infos = [{'name': i['name'], 'type': i['type']} for i in infos]
        return self.make_cursor('%s.$cmd.listCollections' % db, infos,
                                (cmd.get('cursor') or {}).get('batchSize'))

    def cmd_createindexes(self, request, db, name, cmd):
        c = self.coll(db, name)
        created = not self.exists(db, name)
        if created:
            self.client[db].create_collection(name)
        before = len(list(c.list_indexes()))
        existing = {ix['name']: ix for ix in c.list_indexes()}
        for spec in cmd.get('indexes') or []:
            key = list(spec['key'].items())
            iname = spec.get('name') or '_'.join('%s_%s' % kv for kv in key)
            same_key = [ix for ix in existing.values() if list(ix['key'].items()) == key]
            if iname in existing or same_key:
                old = existing.get(iname) or same_key[0]
                if old['name'] != iname or list(old['key'].items()) != key or \
                        bool(old.get('unique')) != bool(spec.get('unique')):
                    raise CmdError(INDEX_OPTIONS_CONFLICT,
                                   'An existing index has the same name/key with different options: %s'
                                   % old['name'])
                continue
            if spec.get('collation') or spec.get('weights') or any(
                    v in ('text', '2dsphere', '2d', 'hashed') for _, v in key):
                raise NotImplementedError('special index %s' % spec)
            kw = {k: spec[k] for k in ('unique', 'sparse', 'expireAfterSeconds',
                                      'partialFilterExpression') if k in spec}
            c.create_index(key, name=iname, **kw)
            existing[iname] = dict(spec, name=iname)
        return {'createdCollectionAutomatically': created, 'numIndexesBefore': before,
                'numIndexesAfter': len(list(c.list_indexes()))}

    def cmd_listindexes(self, request, db, name, cmd):
        if not self.exists(db, name):
            raise CmdError(NS_NOT_FOUND, 'ns does not exist: %s.%s' % (db, name))
        ixs = list(self.coll(db, name).list_indexes())
        return self.make_cursor('%s.$cmd.listIndexes.%s' % (db, name), ixs,
                                (cmd.get('cursor') or {}).get('batchSize'))

    def cmd_dropindexes(self, request, db, name, cmd):
        if not self.exists(db, name):
            raise CmdError(NS_NOT_FOUND, 'ns not found %s.%s' % (db, name))
        c = self.coll(db, name)
        idx = cmd.get('index')
        names = {ix['name']: ix for ix in c.list_indexes()}
        if idx == '*':
            c.drop_indexes()
        else:
            targets = idx if isinstance(idx, list) else [idx]
            for t in targets:
                if isinstance(t, dict):
                    match = [n for n, ix in names.items() if ix['key'] == t]
                    if not match:
                        raise CmdError(INDEX_NOT_FOUND, "can't find index with key: %s" % t)
                    t = match[0]
                if t not in names:
                    raise CmdError(INDEX_NOT_FOUND, 'index not found with name [%s]' % t)
                if t == '_id_':
                    raise CmdError(72, 'cannot drop _id index')
                c.drop_index(t)
        return {'nIndexesWas': len(names)}

    cmd_deleteindexes = cmd_dropindexes


# ---------------------------------------------------------------------------
def err_doc(code, msg):
    return {'ok': 0.0, 'errmsg': msg, 'code': code, 'codeName': CODE_NAMES.get(code, 'Error')}


def with_errors(reply, errors):
    if errors:
        reply['writeErrors'] = errors
    return reply


def write_error(index, exc, c, doc):
    if isinstance(exc, mongomock.DuplicateKeyError) or getattr(exc, 'code', None) == DUP_KEY:
        return dup_key_error(index, c, doc)
    if isinstance(exc, NotImplementedError):
        code, msg = NOT_IMPL, 'fakemongod/mongomock: not implemented: %s' % exc
    elif isinstance(exc, CmdError):
        code, msg = exc.code, str(exc)
    elif isinstance(exc, (mongomock.WriteError, mongomock.OperationFailure)):
        code, msg = exc.code or BAD_VALUE, str(exc)
    elif isinstance(exc, (ValueError, TypeError, KeyError)):
        code, msg = BAD_VALUE, '%s: %s' % (type(exc).__name__, exc)
    else:
        traceback.print_exc()
        code, msg = 1, 'internal error: %r' % exc
    return {'index': index, 'code': code, 'codeName': CODE_NAMES.get(code, 'Error'), 'errmsg': msg}


def dup_key_error(index, c, doc):
    """Build a realistic E11000 write error (find which unique index clashes)."""
    iname, kp, kv = 'unknown', {}, {}
    if isinstance(doc, dict) and doc and next(iter(doc)).startswith('$'):   # update spec
        doc = dict(doc.get('$setOnInsert') or {}, **(doc.get('$set') or {}))
    if isinstance(doc, dict):
        candidates = [('_id_', {'_id': 1})] + [(ix['name'], ix['key']) for ix in c.list_indexes()
                                               if ix.get('unique')]
        for name, key in candidates:
            try:
                vals = {k: _dot(doc, k) for k in key}
            except KeyError:
                continue
            if c.find_one(vals) is not None:
                iname, kp, kv = name, dict(key), vals
                break
    shown = ', '.join('%s: %r' % kv_ for kv_ in kv.items())
    msg = 'E11000 duplicate key error collection: %s.%s index: %s dup key: { %s }' % (
        c.database.name, c.name, iname, shown)
    return {'index': index, 'code': DUP_KEY, 'codeName': 'DuplicateKey', 'errmsg': msg,
            'keyPattern': kp, 'keyValue': kv}


def _dot(doc, path):
    cur = doc
    for p in path.split('.'):
        if not isinstance(cur, dict) or p not in cur:
            raise KeyError(path)
        cur = cur[p]
    return cur


def subst_now(obj, now):
    if obj == '$$NOW':
        return {'$literal': now}
    if isinstance(obj, dict):
        return {k: subst_now(v, now) for k, v in obj.items()}
    if isinstance(obj, list):
        return [subst_now(v, now) for v in obj]
    return obj


def list_paths(u):
    return [p for ops in u.values() if isinstance(ops, dict) for p in ops]


def update_with_array_filters(c, q, u, array_filters, multi, upsert):
    """arrayFilters / $[] / $[ident] support (mongomock 4.1 has none): expand every
    filtered positional path into concrete indexes per matching document, then
    apply an ordinary update on that document's _id."""
    filters = {}
    for f in array_filters:
        ident = next(iter(f)).split('.')[0]
        filters.setdefault(ident, {}).update(f)
    docs = list(c.find(q, limit=0 if multi else 1))
    if not docs:
        if upsert:
            raise NotImplementedError('upsert combined with arrayFilters')
        return 0, 0, None
    modified = 0
    for doc in docs:
        concrete = {}
        for op, fields in u.items():
            out = {}
            for path, val in fields.items():
                for p in _expand(doc, path.split('.'), filters):
                    out[p] = val
            if out:
                concrete[op] = out
        if concrete:
            modified += c.update_one({'_id': doc['_id']}, concrete).modified_count
    return len(docs), modified, None


def _expand(value, parts, filters):
    if not any(p.startswith('$[') for p in parts):
        return ['.'.join(parts)]
    head, rest = parts[0], parts[1:]
    if head.startswith('$[') and head.endswith(']'):
        ident = head[2:-1]
        if not isinstance(value, list):
            return []
        out = []
        for i, el in enumerate(value):
            if ident:
                if ident not in filters:
                    raise CmdError(BAD_VALUE, 'No array filter found for identifier %r' % ident)
                if not filtering.filter_applies(filters[ident], {ident: el}):
                    continue
            out += [str(i) + ('.' + t if t else '') for t in _expand(el, rest, filters)]
        return out
    if isinstance(value, dict):
        sub = value.get(head)
    elif isinstance(value, list) and head.isdigit() and int(head) < len(value):
        sub = value[int(head)]
    else:
        sub = None
    return [head + ('.' + t if t else '') for t in _expand(sub, rest, filters)]


def summarize(request):
    try:
        d = request.doc
        name = next(iter(d))
        return '%s %s.%s' % (name, d.get('$db'), d[name])
    except Exception:  # pylint: disable=broad-except
        return repr(request)


def summarize_reply(r):
    if not r.get('ok'):
        return 'ERR %s %s' % (r.get('code'), r.get('errmsg'))
    if 'writeErrors' in r:
        return 'writeErrors %s' % [e['errmsg'] for e in r['writeErrors']][:3]
    return 'ok'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, default=27017)
    ap.add_argument('--verbose', action='store_true')
    ap.add_argument('--exit-with-stdin', action='store_true',
                    help='exit when stdin closes, so a crashed parent (a test run) leaves no server behind')
    args = ap.parse_args()
    fake = FakeMongo(args.port, args.verbose)
    port = fake.server.run()
    print('fakemongod ready on 127.0.0.1:%d' % port, flush=True)
    if args.exit_with_stdin:
        import os
        import sys
        import threading

        def _watch_stdin():
            sys.stdin.read()          # returns at EOF: the parent closed the pipe or died
            os._exit(0)

        threading.Thread(target=_watch_stdin, daemon=True).start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.server.stop()


if __name__ == '__main__':
    main()
