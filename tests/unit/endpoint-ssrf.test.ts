import { describe, expect, it } from "vitest";
import { assertEndpointUrlAllowed, classifyAddress, privateEndpointsAllowed } from "@/lib/models/ssrf";

describe("endpoint address guard", () => {
  it.each([
    ["169.254.169.254", "forbidden"],
    ["169.254.170.2", "forbidden"],
    ["100.100.100.200", "forbidden"],
    ["192.0.0.192", "forbidden"],
    ["0.0.0.0", "forbidden"],
    ["224.0.0.1", "forbidden"],
    ["255.255.255.255", "forbidden"],
    ["fe80::1", "forbidden"],
    ["fd00:ec2::254", "forbidden"],
    ["::ffff:169.254.169.254", "forbidden"],
    ["::", "forbidden"],
    ["ff02::1", "forbidden"],
    ["127.0.0.1", "loopback"],
    ["127.9.9.9", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.10", "private"],
    ["100.64.0.1", "private"],
    ["fd12:3456::1", "private"],
    ["64:ff9b::10.0.0.1", "private"],
    ["8.8.8.8", "public"],
    ["172.32.0.1", "public"],
    ["2606:4700::1111", "public"],
    ["::ffff:8.8.8.8", "public"],
    ["not-an-ip", "forbidden"],
  ])("%s is %s", (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it("refuses metadata always, private only without the setting", () => {
    expect(() => assertEndpointUrlAllowed("http://169.254.169.254/v1", { allowPrivate: true })).toThrow(/never/);
    expect(() => assertEndpointUrlAllowed("http://[fe80::1]:8000/v1", { allowPrivate: true })).toThrow(/never/);
    expect(() => assertEndpointUrlAllowed("http://10.0.0.5:8000/v1", { allowPrivate: false })).toThrow(/ARBITER_ALLOW_PRIVATE_ENDPOINTS/);
    expect(() => assertEndpointUrlAllowed("http://localhost:8000/v1", { allowPrivate: false })).toThrow(/loopback/);
    expect(assertEndpointUrlAllowed("http://10.0.0.5:8000/v1", { allowPrivate: true }).host).toBe("10.0.0.5:8000");
    expect(assertEndpointUrlAllowed("https://api.openai.com/v1", { allowPrivate: false }).host).toBe("api.openai.com");
  });

  it("refuses other schemes and credentials in the URL", () => {
    expect(() => assertEndpointUrlAllowed("file:///etc/passwd", { allowPrivate: true })).toThrow(/http/);
    expect(() => assertEndpointUrlAllowed("https://user:pw@api.example.com/v1", { allowPrivate: true })).toThrow(/credentials/);
    expect(() => assertEndpointUrlAllowed("not a url", { allowPrivate: true })).toThrow(/not a URL/);
  });

  it("reads ARBITER_ALLOW_PRIVATE_ENDPOINTS", () => {
    expect(privateEndpointsAllowed({ ARBITER_ALLOW_PRIVATE_ENDPOINTS: "1" })).toBe(true);
    expect(privateEndpointsAllowed({ ARBITER_ALLOW_PRIVATE_ENDPOINTS: "0" })).toBe(false);
    expect(privateEndpointsAllowed({})).toBe(false);
  });
});
