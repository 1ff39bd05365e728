#!/usr/bin/python3
"""Small AMQP 0-9-1 test client for hbd's mq resource script test (pika).

Run it with /usr/bin/python3 (Debian's, which sees python3-pika).

  amqp_client.py publish --host H --user U --password P --queue Q \
      --count N --prefix S --confirmed-file F
      Declare the durable queue Q, enable publisher confirms, publish N
      persistent messages "S-1" .. "S-N"; each body the broker confirmed is
      appended to F (one per line, flushed at once).  Exit 0 when all N
      were confirmed; non-zero on a connection loss or a nack, F still
      holding what was confirmed before.

  amqp_client.py wait-publish --host H ... --queue Q --timeout SECS
      Try (bounded by SECS) until one confirmed persistent publish of a
      probe message succeeds; print the seconds it took.  Exit 1 on timeout.

  amqp_client.py consume --host H ... --queue Q
      Fetch (basic_get + ack) every message now in Q, one body per line.

Connections use short timeouts (2 s, one attempt) so callers' loops stay
bounded.
"""
import argparse
import sys
import time

import pika
import pika.exceptions


def connect(args):
    params = pika.ConnectionParameters(
        host=args.host,
        port=args.port,
        virtual_host="/",
        credentials=pika.PlainCredentials(args.user, args.password),
        connection_attempts=1,
        retry_delay=0,
        socket_timeout=2,
        stack_timeout=4,
        blocked_connection_timeout=2,
        heartbeat=10,
    )
    return pika.BlockingConnection(params)


def open_channel(args):
    conn = connect(args)
    ch = conn.channel()
    ch.queue_declare(queue=args.queue, durable=True)
    return conn, ch


def persistent():
    return pika.BasicProperties(delivery_mode=2)


def close(conn):
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - closing a broken connection
        pass


def cmd_publish(args):
    done = 0
    with open(args.confirmed_file, "a", encoding="utf-8") as out:
        try:
            conn, ch = open_channel(args)
            ch.confirm_delivery()
            for i in range(1, args.count + 1):
                body = "%s-%d" % (args.prefix, i)
                # With confirms on, basic_publish returns once the broker
                # confirmed (persisted) the message, or raises.
                ch.basic_publish(exchange="", routing_key=args.queue,
                                 body=body.encode(), properties=persistent(),
                                 mandatory=True)
                out.write(body + "\n")
                out.flush()
                done += 1
            close(conn)
        except Exception as e:  # noqa: BLE001 - pika also raises AMQPConnectorException
            print("publish: stopped after %d confirmed: %r" % (done, e),
                  file=sys.stderr)
            return 1
    return 0


def cmd_wait_publish(args):
    start = time.monotonic()
    deadline = start + args.timeout
    last = None
    while time.monotonic() < deadline:
        try:
            conn, ch = open_channel(args)
            ch.confirm_delivery()
            ch.basic_publish(exchange="", routing_key=args.queue,
                             body=b"probe", properties=persistent(),
                             mandatory=True)
            close(conn)
            print("%.1f" % (time.monotonic() - start))
            return 0
        # Any failure while the broker boots is a reason to try again. pika
        # raises more than AMQPError/OSError: a listener that accepts but
        # does not answer within stack_timeout (RabbitMQ still booting)
        # raises AMQPConnectorStackTimeout, which is neither; it once ended
        # `make demo`'s two-minute wait after one try.
        except Exception as e:  # noqa: BLE001
            last = e
            time.sleep(0.5)
    print("wait-publish: no confirmed publish within %s s: %r"
          % (args.timeout, last), file=sys.stderr)
    return 1


def cmd_consume(args):
    try:
        conn, ch = open_channel(args)
        while True:
            method, _props, body = ch.basic_get(queue=args.queue,
                                                auto_ack=False)
            if method is None:
                break
            sys.stdout.write(body.decode(errors="replace") + "\n")
            ch.basic_ack(method.delivery_tag)
        sys.stdout.flush()
        close(conn)
    except Exception as e:  # noqa: BLE001 - pika also raises AMQPConnectorException
        print("consume: %r" % (e,), file=sys.stderr)
        return 1
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp):
        sp.add_argument("--host", required=True)
        sp.add_argument("--port", type=int, default=5672)
        sp.add_argument("--user", default="guest")
        sp.add_argument("--password", default="guest")
        sp.add_argument("--queue", required=True)

    sp = sub.add_parser("publish")
    common(sp)
    sp.add_argument("--count", type=int, required=True)
    sp.add_argument("--prefix", required=True)
    sp.add_argument("--confirmed-file", required=True)
    sp.set_defaults(func=cmd_publish)

    sp = sub.add_parser("wait-publish")
    common(sp)
    sp.add_argument("--timeout", type=float, default=30)
    sp.set_defaults(func=cmd_wait_publish)

    sp = sub.add_parser("consume")
    common(sp)
    sp.set_defaults(func=cmd_consume)

    args = p.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
