/**
 * A DNS server on 127.0.0.1 (dns2, UDP) answering MX questions from a table the test edits: the doctor's resolver is
 * pointed at it, never at the machine's. A name not in the table is NXDOMAIN; a name with no records answers NOERROR
 * with no answer (NODATA), as a domain without MX does.
 */
import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';

export type MxTable = Map<string, { exchange: string; priority: number }[]>;

export interface LocalDns {
  /** `127.0.0.1:<port>`, for `Resolver.setServers` or `--dns-server`. */
  readonly server: string;
  readonly zone: MxTable;
  stop(): Promise<void>;
}

export async function startLocalDns(zone: MxTable = new Map()): Promise<LocalDns> {
  const { Packet } = dns2;
  const udp = dns2.createUDPServer((request, send) => {
    const response = Packet.createResponseFromRequest(request);
    const [question] = request.questions;
    const records = question === undefined ? undefined : zone.get(question.name.toLowerCase());
    if (records === undefined) {
      response.header.rcode = Packet.RCODE.NXDOMAIN;
    } else if (question?.type === Packet.TYPE.MX) {
      for (const record of records) {
        // dns2's Resource type asks for toBuffer, which only its parser adds: the encoder reads the plain fields.
        response.answers.push({
          name: question.name,
          type: Packet.TYPE.MX,
          class: Packet.CLASS.IN,
          ttl: 300,
          ...record,
        } as unknown as (typeof response.answers)[number]);
      }
    }
    void send(response);
  });
  await udp.listen(0, '127.0.0.1');
  const { port } = udp.address() as AddressInfo;
  return {
    server: `127.0.0.1:${port}`,
    zone,
    stop: () => new Promise<void>((resolve) => udp.close(() => resolve())),
  };
}
