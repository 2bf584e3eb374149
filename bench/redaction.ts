// The redaction benchmark: how many completed interactions per second the
// server can redact for training views. Records are generated with notes,
// a web chat and a journal written the way young people and advisers write
// (names, numbers, schools, emails, addresses among ordinary words). The
// baseline, measured in the same run on the same records, is a JSON
// round-trip (stringify + parse), the least any copy of a record costs.
// Run alone with: npx tsx bench/redaction.ts
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { InteractionRecord, JournalEntry } from '../shared/interaction/record';
import { redactRecord } from '../server/redaction';
import { completedRecord } from '../test/unit/desk-fixtures';

const records = 300;
const deskId = '8d1f7a4e-2f43-4f4e-9f5e-3c1d2b9a0e11';
const names = ['jade', 'tyler', 'aisha', 'kai', 'bella', 'liam', 'chloe', 'harry'];
const schools = ['oakwood academy', 'St Mary’s', 'Hillside High School', 'kings college'];

const customerLines = (name: string, school: string, index: number): string[] => [
  `hi im ${name}, im in year 11 at ${school}`,
  'i dont really know what i want to do after my gcses tbh',
  `my mums number is 07700 900${String(index % 1000).padStart(3, '0')} if you need it`,
  'i got grade 4 in maths and english in my mocks, exams are in May',
  `my email is ${name}.${index}@gmail.com can you send me the stuff`,
  'we live in Reading, i could get the bus to college',
  'i was thinking hairdressing or maybe health and social care',
  'my friend chloe is doing an apprenticeship and she likes it',
];
const adviserLines = [
  'Hi, thanks for getting in touch. What would you like to talk about today?',
  'That sounds like a good start. What subjects do you enjoy most?',
  'You could look at a level 2 course at college or an apprenticeship.',
  'If you ever need to talk to someone now, Childline is free on 0800 1111.',
];

function generatedRecord(index: number): InteractionRecord {
  const name = names[index % names.length] ?? 'jade';
  const school = schools[index % schools.length] ?? 'oakwood academy';
  const at = (second: number) => new Date(Date.UTC(2026, 10, 20, 10, 0, second)).toISOString();
  const chat = customerLines(name, school, index).flatMap((text, line) => [
    { seq: line * 2 + 1, from: 'customer' as const, text, at: at(line * 20) },
    {
      seq: line * 2 + 2,
      from: 'adviser' as const,
      text: adviserLines[line % adviserLines.length] ?? '',
      at: at(line * 20 + 10),
    },
  ]);
  const note = `${name}, yr 11 at ${school}. mum on 07700 900${String(index % 1000).padStart(3, '0')}. Interested in hairdressing; predicted grade 4 in maths. Lives at 12 acacia avenue rg1 1aa.`;
  const journal: JournalEntry[] = [
    {
      at: at(0),
      event: { type: 'OFFERED', at: at(0), channel: 'webchat', contactRef: `chat-${index}` },
    },
    ...chat.map((line) => ({ at: line.at, event: { type: 'CHAT_MESSAGE', at: line.at, line } })),
    { at: at(170), event: { type: 'NOTE', at: at(170), stage: 'startingPoint', text: note } },
    {
      at: at(175),
      event: {
        type: 'UPDATE_MAIN_POINTS',
        at: at(175),
        text: `${name} to look at college open days in May`,
      },
    },
  ];
  const record = completedRecord(deskId, {
    channel: 'webchat',
    contactRef: `chat-${index}`,
    journal,
  });
  record.summary.chat = chat;
  record.summary.notes = { startingPoint: note };
  record.summary.startingPoint.goals = `${name} wants to work in hairdressing or health and social care`;
  record.summary.nextSteps.mainPoints = `${name} to look at college open days in May`;
  return record;
}

function timeIt(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

const perSecond = (count: number, ms: number) =>
  Math.round((count / ms) * 1000).toLocaleString('en-GB');

export async function runRedactionBench(options: { log(line: string): void }): Promise<void> {
  const generated = Array.from({ length: records }, (_, index) => generatedRecord(index));
  // Warm up both paths (the library's lexicon loads on first use).
  for (const record of generated.slice(0, 20)) {
    redactRecord(record);
    JSON.parse(JSON.stringify(record));
  }
  const baselineMs = timeIt(() => {
    for (const record of generated) JSON.parse(JSON.stringify(record));
  });
  const redactionMs = timeIt(() => {
    for (const record of generated) redactRecord(record);
  });
  const characters = generated.reduce((sum, record) => sum + JSON.stringify(record).length, 0);
  options.log(
    `Redaction: ${records} web-chat interactions, ${Math.round(characters / records).toLocaleString('en-GB')} characters of JSON each`,
  );
  options.log(
    `  redactRecord:                 ${perSecond(records, redactionMs)} interactions/s (${(redactionMs / records).toFixed(2)} ms each)`,
  );
  options.log(
    `  baseline JSON stringify+parse: ${perSecond(records, baselineMs)} interactions/s (${(baselineMs / records).toFixed(3)} ms each)`,
  );
  await Promise.resolve();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runRedactionBench({ log: (line) => console.log(line) });
}
