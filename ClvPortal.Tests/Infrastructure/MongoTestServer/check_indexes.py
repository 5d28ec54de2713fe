#!/usr/bin/python3
"""Checks that fakemongod's hash indexes keep MongoDB's semantics: run after changing fastindex.py.

    /usr/bin/python3 check_indexes.py      # prints one line per check, exits 1 on any failure
"""
import re
import sys

import pymongo
from bson.regex import Regex
from pymongo.errors import DuplicateKeyError, OperationFailure

from bench import start_server

failures = []


def check(name, ok):
    print('%-4s %s' % ('ok' if ok else 'FAIL', name))
    if not ok:
        failures.append(name)


def raises(fn, exc=DuplicateKeyError):
    try:
        fn()
    except exc as e:
        return e
    return None


def main():
    proc, port = start_server()
    try:
        db = pymongo.MongoClient('mongodb://127.0.0.1:%s/?directConnection=true' % port)['checks']
        c = db['c']
        c.create_index([('u', 1), ('k', 1)], unique=True, name='u_k')
        c.create_index([('u', 1), ('v', -1)])
        c.insert_many([{'_id': i, 'u': i % 3, 'k': 'k%d' % i, 'v': float(i)} for i in range(30)])
        e = raises(lambda: c.insert_one({'u': 1, 'k': 'k1'}))
        check('duplicate insert refused, naming the index', e is not None and 'u_k' in str(e))
        e = raises(lambda: c.insert_many([{'u': 9, 'k': 'a'}, {'u': 9, 'k': 'a'}, {'u': 9, 'k': 'b'}], ordered=False),
                   pymongo.errors.BulkWriteError)
        check('unordered batch: the duplicate fails, the rest are stored',
              e is not None and e.details['nInserted'] == 2 and c.count_documents({'u': 9}) == 2)
        check('equality on an index prefix', sorted(d['_id'] for d in c.find({'u': 2})) == list(range(2, 30, 3)))
        check('1, 1.0 and Int64(1) are one key', c.count_documents({'u': 1.0}) == 10)
        check('true is not 1', c.count_documents({'u': True}) == 0)
        check('$in on an index prefix', c.count_documents({'u': {'$in': [0, 2]}}) == 20)
        check('$and with an equality', c.count_documents({'$and': [{'u': 0}, {'v': {'$gte': 15}}]}) == 5)
        check('prefix regexes in an $or beside an index prefix',
              c.count_documents({'u': 1, '$or': [{'k': {'$regex': '^k1'}}, {'k': {'$regex': '^K2', '$options': 'i'}}]}) == 8
              and c.count_documents({'u': 1, '$or': [{'k': Regex('^k1')}, {'k': re.compile('^k2')}]}) == 8
              and c.count_documents({'u': 1, 'k': Regex('^k1$')}) == 1)
        check('sorted page through an index prefix',
              [d['_id'] for d in c.find({'u': 0}).sort('v', -1).skip(2).limit(3)] == [21, 18, 15])
        check('find by _id', c.find_one({'_id': 7})['k'] == 'k7' and c.find_one({'_id': 7.0})['k'] == 'k7')
        check('find by _id $in, in natural order', [d['_id'] for d in c.find({'_id': {'$in': [9, 2, 99, 2.0]}})] == [2, 9])
        check('_id true is not 1', c.find_one({'_id': True}) is None)

        c.update_one({'_id': 4}, {'$set': {'k': 'moved', 'u': 5}})
        check('update moves the document to its new key',
              c.find_one({'u': 5, 'k': 'moved'})['_id'] == 4 and c.find_one({'u': 1, 'k': 'k4'}) is None)
        e = raises(lambda: c.update_one({'_id': 5}, {'$set': {'u': 5, 'k': 'moved'}}))
        check('update onto a taken key refused and rolled back',
              e is not None and c.find_one({'_id': 5})['k'] == 'k5' and c.count_documents({'u': 5}) == 1)
        c.insert_one({'u': 1, 'k': 'k4'})
        check('a freed key can be used again', c.count_documents({'u': 1, 'k': 'k4'}) == 1)
        c.update_one({'u': 7, 'k': 'up'}, {'$set': {'v': 1.5}}, upsert=True)
        check('upsert inserts under its key', c.find_one({'u': 7, 'k': 'up'})['v'] == 1.5)
        e = raises(lambda: c.replace_one({'_id': 6}, {'u': 7, 'k': 'up'}))
        check('replacement onto a taken key refused', e is not None and c.find_one({'_id': 6})['k'] == 'k6')
        check('delete through the index', c.delete_many({'u': 0}).deleted_count == 10 and c.count_documents({'u': 0}) == 0)
        c.find_one_and_update({'u': 2, 'k': 'k2'}, {'$set': {'k': 'k2b'}})
        check('findAndModify keeps the maps', c.count_documents({'u': 2, 'k': 'k2b'}) == 1)

        a = db['arrays']
        a.create_index([('tags', 1)])
        a.insert_many([{'tags': ['x', 'y']}, {'tags': 'x'}, {'tags': None}, {}])
        check('equality matches array elements', a.count_documents({'tags': 'x'}) == 2)
        check('null matches null and missing', a.count_documents({'tags': None}) == 2)

        d = db['dups']
        d.insert_many([{'e': 1}, {'e': 1}])
        check('unique index over existing duplicates fails',
              raises(lambda: d.create_index('e', unique=True), OperationFailure) is not None)
        d.delete_one({'e': 1})
        d.create_index('e', unique=True)
        check('unique index holds once they are gone', raises(lambda: d.insert_one({'e': 1})) is not None)
        d.drop_indexes()
        d.insert_one({'e': 1})
        check('dropIndexes drops the unique map', d.count_documents({'e': 1}) == 2)
        d.create_index('f', unique=True, sparse=True)
        d.insert_many([{'x': 1}, {'x': 2}])
        check('sparse unique ignores documents without the field',
              raises(lambda: d.insert_one({'f': 'a'})) is None and raises(lambda: d.insert_one({'f': 'a'})) is not None)
        p = db['partial']   # created empty: mongomock's own check of existing documents ignores the filter
        p.create_index('g', unique=True, partialFilterExpression={'live': True})
        p.insert_many([{'g': 1, 'live': False}, {'g': 1, 'live': True}, {'g': 1, 'live': False}])
        check('partial unique applies to matching documents only',
              raises(lambda: p.insert_one({'g': 1, 'live': True})) is not None and p.count_documents({}) == 3)
        d.drop()
        d.insert_many([{'e': 1}, {'e': 1}])
        check('drop collection clears the maps', d.count_documents({'e': 1}) == 2)
        db.client.drop_database('checks')
        db['c'].insert_one({'u': 1, 'k': 'k1'})
        check('drop database clears the maps', db['c'].count_documents({}) == 1)
    finally:
        proc.stdin.close()
        proc.wait(10)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
