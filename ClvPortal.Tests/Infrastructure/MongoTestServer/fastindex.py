"""Hash indexes for mongomock 4.1.2, so fakemongod holds real result sizes.

mongomock keeps each collection in one OrderedDict keyed by _id and answers every query, and every
unique-index check on insert, with a scan through all documents (inserting n documents costs n^2
filter evaluations: 2,000 customer results took 40 s). This module replaces mongomock's
CollectionStore with one that also keeps, for every index and every prefix of its fields, a hash
map from the indexed values to the documents holding them, and teaches the collection to use them:

- unique indexes are checked by one map lookup per insert or update;
- a query with equality conditions ({f: v}, {f: {$eq: v}}, {f: {$in: [...]}}, also inside a
  top-level $and) on a prefix of an index's fields, or on _id (also $in), reads only the documents
  under those keys (find, count, update, delete, findAndModify, aggregate's leading $match); every
  candidate is still checked against the filter, less the conditions the map lookup guarantees, by a
  fast path for equalities, regexes and $or of them, or by mongomock's own filter;
- finds copy only the documents in the requested page (mongomock copied every match, then skipped);
- sorting on one field whose values are all numbers, strings or dates sorts by the raw values.

Keys follow MongoDB's equality: 1, 1.0 and Int64(1) are one key, True is not 1, a missing field is
null. A document whose indexed field holds an array, a sub-document, a decimal or NaN is not hashed:
it is kept aside per map, always a candidate, and checked by mongomock's own filter (and by a scan
for unique indexes), so those cases keep mongomock's semantics. Results come back in natural
(insertion) order, as mongomock's scans return them.
"""
import datetime
import itertools
import re
import time
from collections.abc import Mapping

import mongomock
import mongomock.collection as mcoll
import mongomock.store as mstore
from bson.binary import Binary
from bson.int64 import Int64
from bson.objectid import ObjectId
from bson.regex import Regex
from mongomock import filtering, helpers

IRREGULAR = object()     # "not hashable with MongoDB's equality": the document is kept aside
NOT_INDEXED = object()   # sparse/partial index that does not hold the document

_PATTERN = type(re.compile(''))
_PLAIN = {str, int, Int64, ObjectId, datetime.datetime, type(None)}


def norm(value):
    """A hashable key equal for values MongoDB's equality calls equal, or IRREGULAR."""
    t = type(value)
    if t in _PLAIN:
        return value
    if t is float:
        return IRREGULAR if value != value else value   # NaN equals NaN in MongoDB, not in Python
    if t is bool:
        return ('$bool', value)
    if t is Binary:
        return ('$bin', value.subtype, bytes(value))
    if t is bytes:
        return ('$bin', 0, value)
    return IRREGULAR


def _path_key(doc, path):
    """The index key part of one field: its normalised value, None when missing, IRREGULAR for arrays."""
    if '.' not in path:
        return norm(doc.get(path))
    cur = doc
    for part in path.split('.'):
        if isinstance(cur, list):
            return IRREGULAR
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return norm(cur)


class _Map(object):
    """key tuple -> {store key: None} (an ordered set), plus the documents that could not be hashed."""
    __slots__ = ('fields', 'index', 'members', 'irregular')

    def __init__(self, fields, index=None):
        self.fields = fields
        self.index = index        # for a sparse/partial unique index: its definition; else None
        self.members = {}
        self.irregular = {}

    def key_of(self, doc):
        if self.index is not None:
            if self.index.get('sparse') and all(_value(doc, f) is None for f in self.fields):
                return NOT_INDEXED     # mongomock's sparse rule: every field missing or null
            pfe = self.index.get('partialFilterExpression')
            if pfe is not None and not filtering.filter_applies(pfe, doc):
                return NOT_INDEXED
        key = tuple(_path_key(doc, f) for f in self.fields)
        return IRREGULAR if any(k is IRREGULAR for k in key) else key

    def add(self, skey, key):
        if key is IRREGULAR:
            self.irregular[skey] = None
        elif key is not NOT_INDEXED:
            self.members.setdefault(key, {})[skey] = None

    def remove(self, skey, key):
        if key is IRREGULAR:
            self.irregular.pop(skey, None)
        elif key is not NOT_INDEXED:
            ids = self.members.get(key)
            if ids is not None:
                ids.pop(skey, None)
                if not ids:
                    del self.members[key]


def _value(doc, path):
    try:
        return helpers.get_value_by_dot(doc, path)
    except KeyError:
        return None


class IndexedCollectionStore(mstore.CollectionStore):
    """mongomock's CollectionStore plus hash maps over its indexes, kept in step with every write."""

    def __init__(self, name):
        self._maps = {}          # (fields, index name or None) -> _Map
        self._doc_keys = {}      # store key -> {map id: key}
        self._seq = {}           # store key -> insertion number (natural order)
        self._counter = itertools.count()
        self._odd_ids = 0        # _ids that are not plain hashable values: the _id shortcut is off
        self._expired_at = 0.0
        self._fresh = None       # the store key __setitem__ has just indexed (an insert's unique check skips reindexing)
        self._indexes = {}
        super().__init__(name)

    # -- index definitions ------------------------------------------------------------------
    @property
    def indexes(self):
        return self._indexes

    @indexes.setter
    def indexes(self, value):
        self._indexes = value
        self._rebuild()

    def create_index(self, index_name, index_dict):
        super().create_index(index_name, index_dict)
        self._rebuild()

    def drop_index(self, index_name):
        try:
            super().drop_index(index_name)
        finally:
            self._rebuild()

    def drop(self):
        super().drop()
        self._doc_keys = {}
        self._seq = {}
        self._odd_ids = 0

    def _wanted_maps(self):
        wanted = {}
        for name, ix in self._indexes.items():
            fields = tuple(f for f, _ in ix['key'])
            if ix.get('sparse') or ix.get('partialFilterExpression') is not None:
                if ix.get('unique'):   # holds only some documents: good for unique checks, not lookups
                    wanted[(fields, name)] = ix
                continue
            for n in range(1, len(fields) + 1):
                wanted[(fields[:n], None)] = None
        return wanted

    def _rebuild(self):
        if not hasattr(self, '_documents'):
            return
        wanted = self._wanted_maps()
        self._maps = {mid: _Map(mid[0], ix) for mid, ix in wanted.items()}
        self._doc_keys = {}
        for skey, doc in self._documents.items():
            self._index(skey, doc)

    # -- documents ----------------------------------------------------------------------------
    def _index(self, skey, doc):
        keys = {}
        for mid, m in self._maps.items():
            k = m.key_of(doc)
            m.add(skey, k)
            keys[mid] = k
        self._doc_keys[skey] = keys

    def _unindex(self, skey):
        keys = self._doc_keys.pop(skey, None)
        if keys:
            for mid, k in keys.items():
                m = self._maps.get(mid)
                if m is not None:
                    m.remove(skey, k)

    def reindex(self, skey, doc):
        self._unindex(skey)
        self._index(skey, doc)

    def __setitem__(self, key, val):
        if key in self._documents:
            self._unindex(key)
        else:
            self._seq[key] = next(self._counter)
            if norm(key) is IRREGULAR:
                self._odd_ids += 1
        self._documents[key] = val     # one request at a time (fakemongod's lock): no RWLock needed
        self._index(key, val)
        self._fresh = key

    def __contains__(self, key):
        self._remove_expired_documents()
        return key in self._documents

    def __getitem__(self, key):
        self._remove_expired_documents()
        return self._documents[key]

    def __delitem__(self, key):
        del self._documents[key]
        self._unindex(key)
        self._seq.pop(key, None)
        if norm(key) is IRREGULAR:
            self._odd_ids -= 1

    def _remove_expired_documents(self):
        # MongoDB's TTL monitor runs once a minute; mongomock scanned every document on every access.
        if self._ttl_indexes:
            now = time.monotonic()
            if now - self._expired_at >= 1.0:
                self._expired_at = now
                super()._remove_expired_documents()

    # -- lookups ------------------------------------------------------------------------------
    def unique_clash(self, name, skey):
        """True when another document holds this document's key of unique index `name`; None: unknown (scan)."""
        ix = self._indexes[name]
        fields = tuple(f for f, _ in ix['key'])
        mid = (fields, name) if (ix.get('sparse') or ix.get('partialFilterExpression') is not None) else (fields, None)
        key = self._doc_keys.get(skey, {}).get(mid, IRREGULAR)
        if key is NOT_INDEXED:
            return False
        if key is IRREGULAR:
            return None
        m = self._maps[mid]
        if any(o != skey for o in m.irregular):
            return None                # an array or sub-document key elsewhere: let the scan decide
        return len(m.members.get(key, ())) > 1

    def plan(self, flt):
        """Candidates for `flt` as (documents in natural order, store keys needing the full filter, residual
        filter for the rest), or None when no index applies (scan)."""
        if not isinstance(flt, Mapping) or not flt:
            return None
        eq, plain = {}, set()
        _equalities(flt, eq, plain, top=True)
        if not eq:
            return None
        raw = flt.get('_id', IRREGULAR)
        if isinstance(raw, Mapping) and len(raw) == 1 and isinstance(raw.get('$in'), (list, tuple)):
            raw = raw['$in']                    # {_id: {$in: [...]}}
        elif raw is not IRREGULAR:
            raw = [raw]
        if not self._odd_ids and raw is not IRREGULAR and all(norm(v) is not IRREGULAR for v in raw):
            keys = dict.fromkeys(k for k in raw if k in self._documents)
            docs = [self._documents[k] for k in sorted(keys, key=self._seq.__getitem__)]
            return docs, None, flt
        best = None
        for (fields, name), m in self._maps.items():
            if name is None and all(f in eq for f in fields) and (best is None or len(fields) > len(best.fields)):
                combos = 1
                for f in fields:
                    combos *= len(eq[f])
                if combos <= 10000:
                    best = m
        if best is None:
            return None
        ids = {}
        for key in itertools.product(*(eq[f] for f in best.fields)):
            ids.update(best.members.get(key, ()))
        irregular = best.irregular
        if irregular:
            ids.update(irregular)
        seq = self._seq
        order = sorted(ids, key=seq.__getitem__) if len(ids) > 1 else list(ids)
        docs = [self._documents[k] for k in order]
        used = set(best.fields) & plain
        residual = {k: v for k, v in flt.items() if k not in used} if used else flt
        return docs, (irregular if irregular else None), residual


def _equalities(flt, eq, plain, top):
    """Collect field -> [normalised values] every match must equal one of; `plain` gets the fields whose
    condition is exactly a top-level scalar equality (the map lookup fully decides them)."""
    for k, v in flt.items():
        if k == '$and' and isinstance(v, list):
            for sub in v:
                if isinstance(sub, Mapping):
                    _equalities(sub, eq, plain, top=False)
            continue
        if k.startswith('$') or k in eq:
            continue
        if isinstance(v, Mapping):
            if not v or not all(isinstance(op, str) and op.startswith('$') for op in v):
                continue           # sub-document equality
            if '$eq' in v:
                n = norm(v['$eq'])
                if n is not IRREGULAR:
                    eq[k] = [n]
            elif '$in' in v and isinstance(v['$in'], (list, tuple)):
                ns = [norm(x) for x in v['$in']]
                if ns and IRREGULAR not in ns:
                    eq[k] = list(dict.fromkeys(ns))
            continue
        n = norm(v)
        if n is not IRREGULAR:
            eq[k] = [n]
            if top:
                plain.add(k)


def _compile(flt):
    """A fast predicate for filters made of top-level scalar equalities, regexes on strings and $or of
    those (the customer table's search); mongomock's filter for anything else, and for any document
    whose field is not a plain value."""
    if not flt:
        return None
    parts = _parts(flt)
    if parts is None:
        return lambda doc: filtering.filter_applies(flt, doc)

    def match(doc):
        verdict = _holds(parts, doc)
        return filtering.filter_applies(flt, doc) if verdict is None else verdict
    return match


def _parts(flt):
    parts = []
    for k, v in flt.items():
        if k == '$or' and isinstance(v, list) and v and all(isinstance(sub, Mapping) for sub in v):
            subs = [_parts(sub) for sub in v]
            if any(sub is None for sub in subs):
                return None
            parts.append(('or', subs))
        elif isinstance(v, Mapping) and '$regex' in v and set(v) <= {'$regex', '$options'} and \
                isinstance(v['$regex'], str) and not k.startswith('$') and '.' not in k:
            try:
                parts.append(('re', k, Regex(v['$regex'], v.get('$options') or 0).try_compile()))
            except re.error:
                return None
        elif k.startswith('$') or '.' in k or isinstance(v, (Mapping, list)):
            return None
        elif isinstance(v, (Regex, _PATTERN)):
            try:
                rx = v.try_compile() if isinstance(v, Regex) else v
            except re.error:
                return None
            parts.append(('re', k, rx))
        else:
            n = norm(v)
            if n is IRREGULAR:
                return None
            parts.append(('eq', k, n))
    return parts


def _holds(parts, doc):
    """True or False, or None when a field holds something only mongomock's filter can judge."""
    for part in parts:
        if part[0] == 'or':
            verdicts = [_holds(sub, doc) for sub in part[1]]
            if True in verdicts:
                continue
            if None in verdicts:
                return None
            return False
        kind, k, want = part
        value = doc.get(k)
        if kind == 're':
            if type(value) is not str:
                return None
            if not want.search(value):
                return False
            continue
        d = norm(value)
        if d is IRREGULAR:
            return None
        if d != want:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# Collection methods that use the maps
# ---------------------------------------------------------------------------------------------
def _iter_documents(self, filter):
    store = self._store
    if store.is_empty:
        filtering.filter_applies(filter, {})   # validate the filter even if nothing can match
        return iter(())
    planned = store.plan(filter)
    if planned is None:
        return (d for d in list(store.documents) if filtering.filter_applies(filter, d))
    docs, full, residual = planned
    match = _compile(residual) or (lambda doc: True)
    if full is None:
        return (d for d in docs if match(d))
    return (d for d in docs if (filtering.filter_applies(filter, d) if _skey(d['_id']) in full else match(d)))


def _skey(_id):
    return helpers.hashdict(_id) if isinstance(_id, dict) else _id


def _ensure_uniques(self, new_data):
    """Checks the unique indexes for a document already stored (inserted or updated in place)."""
    store = self._store
    skey = _skey(new_data['_id'])
    if store._fresh is not skey:       # updated in place since it was indexed
        store.reindex(skey, new_data)
    store._fresh = None
    for name, index in store.indexes.items():
        if not index.get('unique'):
            continue
        clash = store.unique_clash(name, skey)
        if clash is None:
            clash = _scan_unique_clash(self, index, new_data)
        if clash:
            raise mongomock.DuplicateKeyError(
                'E11000 duplicate key error collection: %s index: %s' % (self.full_name, name), 11000)


def _scan_unique_clash(self, index, new_data):
    """mongomock's own check, for documents whose key holds an array or sub-document."""
    find_kwargs = {}
    for key, _ in index.get('key'):
        try:
            find_kwargs[key] = helpers.get_value_by_dot(new_data, key)
        except KeyError:
            find_kwargs[key] = None
    if index.get('sparse') and set(find_kwargs.values()) == {None}:
        return False
    if index.get('partialFilterExpression') is not None:
        find_kwargs = {'$and': [index['partialFilterExpression'], find_kwargs]}
    return len(list(self._iter_documents(find_kwargs))) > 1


_orig_update = mcoll.Collection._update


def _update(self, *args, **kwargs):
    try:
        return _orig_update(self, *args, **kwargs)
    except mongomock.DuplicateKeyError:
        raise                      # mongomock rolled the document back through the store: maps are right
    except Exception:
        # an update that failed half-way may have changed a document in place without rollback
        self._store._rebuild()
        raise


def _sorted_docs(self, spec, sort):
    """The stored documents matching `spec` in result order (not copies)."""
    docs = list(self._iter_documents(spec))
    for sort_key, direction in reversed(sort or []):
        if sort_key == '$natural':
            if direction < 0:
                docs.reverse()
            continue
        if sort_key.startswith('$'):
            raise NotImplementedError('Sorting by {} is not implemented in mongomock yet'.format(sort_key))
        docs.sort(key=_sort_key(sort_key, docs), reverse=direction < 0)
    return docs


_NUMBERS = (int, float, Int64)


def _sort_key(field, docs):
    """Raw values when every document holds a number (no NaN, no bool), or every one a string, or every
    one a date, at a top-level field: the same order as mongomock's BSON comparison, much faster."""
    if '.' not in field and docs:
        values = [d.get(field, _MISSING) for d in docs]
        kinds = set(map(type, values))
        if kinds <= {int, float, Int64} and all(v == v for v in values) or kinds == {str} or \
                kinds == {datetime.datetime}:
            return lambda d: d[field]
    return lambda d: filtering.resolve_sort_key(field, d)


_MISSING = object()


def _get_dataset(self, spec, sort, fields, as_class):
    for doc in _sorted_docs(self, spec, sort):
        yield self._copy_only_fields(doc, fields, as_class)


def _cursor_next(self):
    """Sorts the stored documents once, then copies only the ones the skip and limit let through."""
    if getattr(self, '_fi_factory', None) is not self._factory:
        spec, sort = self._factory.args[0], self._factory.args[1]
        self._fi_docs = _sorted_docs(self.collection, spec, sort)
        self._fi_factory = self._factory
    docs = self._fi_docs
    i = self._skip + self._emitted
    if (self._limit and self._emitted >= abs(self._limit)) or i >= len(docs):
        raise StopIteration()
    self._emitted += 1
    doc = self.collection._copy_only_fields(docs[i], self._factory.args[2], dict)
    if self.collection.codec_options.tz_aware:
        doc = helpers.make_datetime_timezone_aware_in_document(doc)
    return doc


def _delete(self, filter, collation=None, hint=None, multi=False, session=None):
    if hint or collation or session:
        raise NotImplementedError('delete with hint, collation or session')
    filter = helpers.patch_datetime_awareness_in_document(filter)
    if filter is None:
        filter = {}
    if not isinstance(filter, Mapping):
        filter = {'_id': filter}
    deleted = 0
    for doc in list(self._iter_documents(filter)):
        del self._store[_skey(doc['_id'])]
        deleted += 1
        if not multi:
            break
    return {'connectionId': self.database.client._id, 'n': deleted, 'ok': 1.0, 'err': None}


def install():
    mstore.CollectionStore = IndexedCollectionStore
    mcoll.Collection._iter_documents = _iter_documents
    mcoll.Collection._ensure_uniques = _ensure_uniques
    mcoll.Collection._update = _update
    mcoll.Collection._get_dataset = _get_dataset
    mcoll.Collection._delete = _delete
    mcoll.Cursor.__next__ = mcoll.Cursor.next = _cursor_next
