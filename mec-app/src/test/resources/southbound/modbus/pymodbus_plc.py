"""A PLC played by pymodbus (an independent Modbus implementation) for ModbusPymodbusTest.

Usage: python3 pymodbus_plc.py PORT SPEC.json
SPEC lists values to encode: [{"table": "holding"|"input"|"coil"|"discrete", "address": n, "type": ...,
"wordOrder": "big"|"little", "byteOrder": "big"|"little", "value": v}]. Prints READY once listening; answers until
stdin closes (the test ends).
"""
import asyncio
import json
import struct
import sys
import threading

from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock, ModbusServerContext
from pymodbus.server import StartAsyncTcpServer, ServerAsyncStop

FORMATS = {"int16": ">h", "uint16": ">H", "int32": ">i", "uint32": ">I", "float32": ">f", "float64": ">d"}


def registers(item):
    value = item["value"] if item["type"].startswith("float") else int(item["value"])
    raw = struct.pack(FORMATS[item["type"]], value)
    words = [raw[i:i + 2] for i in range(0, len(raw), 2)]
    if item.get("byteOrder") == "little":
        words = [w[::-1] for w in words]
    if item.get("wordOrder") == "little":
        words = words[::-1]
    return [int.from_bytes(w, "big") for w in words]


def main():
    port = int(sys.argv[1])
    with open(sys.argv[2]) as f:
        spec = json.load(f)
    tables = {"coil": [False] * 2000, "discrete": [False] * 2000, "holding": [0] * 2000, "input": [0] * 2000}
    for item in spec:
        values = [bool(item["value"])] if item["table"] in ("coil", "discrete") else registers(item)
        tables[item["table"]][item["address"]:item["address"] + len(values)] = values
    # Block address 1 is protocol address 0 in pymodbus 3.15's datastore.
    device = ModbusDeviceContext(
        di=ModbusSequentialDataBlock(1, tables["discrete"]),
        co=ModbusSequentialDataBlock(1, tables["coil"]),
        hr=ModbusSequentialDataBlock(1, tables["holding"]),
        ir=ModbusSequentialDataBlock(1, tables["input"]))
    context = ModbusServerContext(devices=device, single=True)

    async def serve():
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        # The test closes stdin when it is done: stop then, so no server outlives its test.
        threading.Thread(target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(stop.set)), daemon=True).start()
        server = asyncio.create_task(StartAsyncTcpServer(context=context, address=("127.0.0.1", port)))
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.05)
        print("READY", flush=True)
        await stop.wait()
        await ServerAsyncStop()
        server.cancel()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
