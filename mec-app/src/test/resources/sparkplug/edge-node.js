// An Eclipse Tahu JavaScript edge node (sparkplug-client) driven by SparkplugTahuEdgeNodeTest: births with aliases,
// data by alias, a lost sequence number, the rebirth the gateway asks for, device death and node death.
// Settings come from the environment; progress goes to stdout, one word a line, for the test to read.
const sparkplug = require("sparkplug-client");

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(name + " is not set");
  }
  return value;
};

const client = sparkplug.newClient({
  serverUrl: env("SPARKPLUG_URL"),
  username: env("SPARKPLUG_NODE"),
  password: env("SPARKPLUG_PASSWORD"),
  groupId: env("SPARKPLUG_GROUP"),
  edgeNode: env("SPARKPLUG_NODE"),
  clientId: env("SPARKPLUG_NODE"),
  version: "spBv1.0",
  publishDeath: true,
});

let births = 0;
const timer = setTimeout(() => {
  console.log("TIMEOUT");
  process.exit(2);
}, 30000);

function birth() {
  births++;
  client.publishNodeBirth({
    timestamp: Date.now(),
    metrics: [
      { name: "Temperature", alias: 1, type: "Double", value: 20.5 },
      { name: "Running", alias: 2, type: "Boolean", value: true },
      { name: "Firmware", alias: 4, type: "String", value: "1.2.3" },
    ],
  });
  client.publishDeviceBirth("pump-3", {
    timestamp: Date.now(),
    metrics: [{ name: "Speed", alias: 3, type: "Int32", value: 1450 }],
  });
  console.log("BIRTH " + births);
}

client.on("birth", () => {
  birth();
  client.publishNodeData({ timestamp: Date.now(), metrics: [{ alias: 1, type: "Double", value: 21.25 }] });
  client.publishDeviceData("pump-3", { timestamp: Date.now(), metrics: [{ alias: 3, type: "Int32", value: 1500 }] });
  // Lose one sequence number, as a dropped QoS 0 message would.
  client.seq++;
  client.publishNodeData({ timestamp: Date.now(), metrics: [{ alias: 1, type: "Double", value: 22.5 }] });
  console.log("GAP");
});

client.on("ncmd", (payload) => {
  const rebirth = (payload.metrics || []).find((m) => m.name === "Node Control/Rebirth" && m.value === true);
  if (!rebirth || births > 1) {
    return;
  }
  console.log("REBIRTH");
  birth();
  client.publishDeviceData("pump-3", { timestamp: Date.now(), metrics: [{ alias: 3, type: "Int32", value: 1510 }] });
  client.publishDeviceDeath("pump-3", { timestamp: Date.now() });
  client.stop();
  console.log("DEATH");
  clearTimeout(timer);
  setTimeout(() => process.exit(0), 200);
});

client.on("error", (error) => {
  console.log("ERROR " + error.message);
  process.exit(3);
});
