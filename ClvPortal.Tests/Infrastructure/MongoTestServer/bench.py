#!/usr/bin/python3
"""Times fakemongod on the portal's heaviest load: one analysis' customer results.

Starts fakemongod on a free port, creates customerResults with the portal's indexes (PortalDb.EnsureIndexesAsync),
inserts --docs customer-result-like documents in unordered batches of --batch (as ResultWriter does), then times
the customer table's queries and the re-run's delete. Prints one line per step.

    /usr/bin/python3 bench.py [--docs 100000] [--batch 1000] [--give-up-after 300]
"""
import argparse
import datetime
import os
import random
import subprocess
import sys
import time
import uuid

import pymongo
from bson.binary import Binary, UuidRepresentation
from bson.objectid import ObjectId

HERE = os.path.dirname(os.path.abspath(__file__))


def start_server():
    proc = subprocess.Popen(['/usr/bin/python3', os.path.join(HERE, 'fakemongod.py'), '--port', '0',
                             '--exit-with-stdin'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if 'ready on' not in line:
        raise RuntimeError('fakemongod did not start: %r' % line)
    return proc, line.rsplit(':', 1)[1].strip()


def result_doc(upload, owner, i, rnd):
    day = datetime.datetime(1997, 1, 1) + datetime.timedelta(days=rnd.randrange(500))
    clv = rnd.lognormvariate(3, 1.5)
    return {'_id': ObjectId(), 'uploadId': upload, 'ownerId': owner, 'customerId': 'C%07d' % i,
            'frequency': rnd.randrange(20), 'recency': rnd.random() * 500, 't': rnd.random() * 500,
            'monetaryValue': rnd.random() * 100, 'totalRevenue': rnd.lognormvariate(4, 1), 'orders': rnd.randrange(1, 20),
            'firstPurchase': day, 'lastPurchase': day, 'xgbClv': clv, 'expectedPurchases': rnd.random() * 5,
            'probabilityAlive': rnd.random(), 'expectedAverageValue': rnd.random() * 80, 'probabilisticClv': clv * 0.9,
            'baselineClv': clv * 1.1, 'headlineClv': clv, 'tier': 'Bottom50', 'churnRisk': rnd.random() < 0.2}


def timed(label, fn, n=1):
    t0 = time.perf_counter()
    for _ in range(n):
        out = fn()
    ms = (time.perf_counter() - t0) * 1000 / n
    print('%-58s %9.1f ms%s' % (label, ms, '' if n == 1 else ' (mean of %d)' % n), flush=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--docs', type=int, default=100_000)
    ap.add_argument('--batch', type=int, default=1000)
    ap.add_argument('--give-up-after', type=float, default=300, help='stop inserting after this many seconds')
    args = ap.parse_args()

    proc, port = start_server()
    try:
        client = pymongo.MongoClient('mongodb://127.0.0.1:%s/?directConnection=true' % port,
                                     uuidRepresentation='standard', serverSelectionTimeoutMS=600_000,
                                     socketTimeoutMS=None)
        c = client['bench']['customerResults']
        c.create_index([('uploadId', 1), ('customerId', 1)], unique=True)
        for key in ('headlineClv', 'probabilityAlive', 'totalRevenue'):
            c.create_index([('uploadId', 1), (key, -1)])
        rnd = random.Random(1)
        upload = Binary.from_uuid(uuid.UUID(int=rnd.getrandbits(128)), UuidRepresentation.STANDARD)
        owner = str(uuid.UUID(int=rnd.getrandbits(128)))
        other = Binary.from_uuid(uuid.UUID(int=rnd.getrandbits(128)), UuidRepresentation.STANDARD)
        c.insert_many([result_doc(other, owner, i, rnd) for i in range(1000)], ordered=False)  # another upload's rows

        t0 = time.perf_counter()
        last, inserted = t0, 0
        while inserted < args.docs:
            n = min(args.batch, args.docs - inserted)
            c.insert_many([result_doc(upload, owner, inserted + i, rnd) for i in range(n)], ordered=False)
            inserted += n
            if inserted % 10_000 == 0 or inserted == args.docs:
                now = time.perf_counter()
                print('inserted %7d  total %7.1f s  last 10k %6.1f s' % (inserted, now - t0, now - last), flush=True)
                last = now
            if time.perf_counter() - t0 > args.give_up_after:
                print('gave up after %.0f s at %d documents' % (time.perf_counter() - t0, inserted))
                break
        total = time.perf_counter() - t0
        print('insert %d documents in batches of %d: %.1f s (%.0f docs/s)' % (inserted, args.batch, total, inserted / total))

        mid = inserted // 2
        scope = {'uploadId': upload, 'ownerId': owner}
        timed('find one customer (uploadId, customerId, ownerId)',
              lambda: c.find_one({'uploadId': upload, 'customerId': 'C%07d' % mid, 'ownerId': owner}), 20)
        timed('customer table page 1 by CLV desc (limit 50)',
              lambda: list(c.find(scope).sort('headlineClv', -1).limit(50)), 5)
        timed('customer table middle page by CLV desc (skip %d, limit 50)' % mid,
              lambda: list(c.find(scope).sort('headlineClv', -1).skip(mid).limit(50)), 5)
        timed('customer table last page by revenue asc',
              lambda: list(c.find(scope).sort('totalRevenue', 1).skip(max(0, inserted - 50)).limit(50)), 5)
        timed('search prefix C00012 (count + page)',
              lambda: (c.count_documents(dict(scope, customerId={'$regex': '^C00012'})),
                       list(c.find(dict(scope, customerId={'$regex': '^C00012'})).sort('headlineClv', -1).limit(50))), 5)
        timed('churn-risk customers (uploadId, ownerId, churnRisk)',
              lambda: list(c.find(dict(scope, churnRisk=True), {'customerId': 1}).limit(1000)), 2)
        timed('update one customer by (uploadId, customerId)',
              lambda: c.update_one({'uploadId': upload, 'customerId': 'C%07d' % mid}, {'$inc': {'orders': 1}}), 20)
        try:
            c.insert_one(result_doc(upload, owner, mid, rnd))
            print('duplicate (uploadId, customerId) was accepted: WRONG')
        except pymongo.errors.DuplicateKeyError as e:
            print('duplicate (uploadId, customerId) refused: %s' % str(e)[:110])
        timed('delete the upload\'s results (uploadId)', lambda: c.delete_many({'uploadId': upload}))
        print('left: %d documents' % c.count_documents({}))
    finally:
        proc.stdin.close()
        proc.wait(10)


if __name__ == '__main__':
    sys.exit(main())
