import { it } from "vitest";
import { lan } from "./net-console.ts";
it("explore", () => {
  const { terms } = lan(["r1", "r2"]);
  const r1 = terms.r1!, r2 = terms.r2!;
  let t = "";
  for (const c of ["enable", "conf t", "int e1", "interface ethernet 1", "int eth0", "ip address 10.0.0.1 255.0.255.0", "ip address 10.0.0.0 255.255.255.0", "ip address 10.0.0.1 255.255.255.0", "shutdown", "ip default-gateway 10.0.0.254", "exit", "interface Ethernet 0", "no shut", "end", "show ip int brief", "show run", "show tcp brief all", "debug ip tcp transactions", "show debugging", "undebug all", "show debugging", "clear tcp tcb 1234", "int e0"]) t += r1.type(c);
  console.log(JSON.stringify(t).replace(/\\r\\n/g, "\n"));
  console.log(r1.device.logs.map((l) => l.text).join("\n"));
});
