/**
 * Petitions the suites and the fault suite register: made-up people, a real-looking matter routed by the demo
 * directory.
 */

/** A complaint about construction noise in 西湖区 (330106): the demo rules send it to 330100-HB. */
export const noiseComplaint = {
  channel: 'online',
  kind: 'complaint',
  subject: 'Night-time construction noise',
  content: 'Work goes on past midnight at the Wensan Road site.',
  regionCode: '330106',
  category: 'environment',
  petitioner: { name: '王五', phone: '13700000000' },
};
