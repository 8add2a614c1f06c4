"""A TCP forwarder (``python tcp_proxy.py LISTEN_PORT TARGET_PORT``), the S3 store's
front door in the fault run.

moto's server keeps its objects in memory, so killing it would lose the store rather than
take it down for a while. The fault run kills this forwarder instead: for the application
the store's address refuses connections exactly as a stopped server would, and when the
forwarder comes back the objects behind it are still there.
"""

import asyncio
import sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main(listen: int, target: int) -> None:
    async def handle(client_reader, client_writer):
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, up_writer), pipe(up_reader, client_writer))

    server = await asyncio.start_server(handle, "127.0.0.1", listen, reuse_address=True)
    print(f"forwarding 127.0.0.1:{listen} -> {target}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
