// The judged redaction corpus: sentences written the way young people and
// parents write to the helpline (lower case, no full stops, spaced and
// hyphenated numbers, "my mums number is", school nicknames), each with the
// stretches that must be hidden (and their kind) and words that must stay.
// Every number, address and name here is invented: phone numbers come from
// Ofcom's ranges kept for drama, identity numbers are made to pass their checks.
import type { PersonalDataKind } from '../../server/redaction';

export interface CorpusCase {
  text: string;
  /** Every occurrence of each `text` must be hidden, as this kind. */
  hide: readonly { text: string; kind: PersonalDataKind }[];
  /** Words that must still be there after redaction. */
  keep: readonly string[];
}

const hide = (kind: PersonalDataKind, ...texts: string[]) => texts.map((text) => ({ text, kind }));

export const redactionCorpus: readonly CorpusCase[] = [
  // Phone numbers in their written forms
  {
    text: 'my number is 07700 900123',
    hide: hide('PHONE', '07700 900123'),
    keep: ['my number is'],
  },
  {
    text: 'my mums number is 07700-900-456 she said ring her after 5',
    hide: hide('PHONE', '07700-900-456'),
    keep: ['ring her after 5'],
  },
  {
    text: 'u can call me on +44 7700 900789',
    hide: hide('PHONE', '+44 7700 900789'),
    keep: ['call me'],
  },
  {
    text: 'dads mobile +44 (0)7700 900321 if im not answering',
    hide: hide('PHONE', '+44 (0)7700 900321'),
    keep: ['if im not answering'],
  },
  {
    text: 'landline is (01632) 960 123 but nobody picks up',
    hide: hide('PHONE', '(01632) 960 123'),
    keep: ['nobody picks up'],
  },
  {
    text: 'ring my nan on 0118 496 0017 shes in Reading',
    hide: hide('PHONE', '0118 496 0017'),
    keep: ['Reading'],
  },
  { text: '07700900654 thats my whatsapp', hide: hide('PHONE', '07700900654'), keep: ['whatsapp'] },
  {
    text: 'Mum: 020 7946 0321, Dad: 020-7946-0456',
    hide: hide('PHONE', '020 7946 0321', '020-7946-0456'),
    keep: ['Mum', 'Dad'],
  },
  {
    text: 'text me 0 7 7 0 0 9 0 0 1 1 1 pls',
    hide: hide('PHONE', '0 7 7 0 0 9 0 0 1 1 1'),
    keep: ['pls'],
  },
  {
    text: 'number is 0044 7700 900222 from abroad',
    hide: hide('PHONE', '0044 7700 900222'),
    keep: ['from abroad'],
  },
  {
    text: 'call 0161 496 0000 or 07700 900333 after college',
    hide: hide('PHONE', '0161 496 0000', '07700 900333'),
    keep: ['after college'],
  },
  {
    text: 'its 07700.900.444 my bf gave me it',
    hide: hide('PHONE', '07700.900.444'),
    keep: ['gave me it'],
  },
  {
    text: 'my phone is 7700 900555 (forgot the 0)',
    hide: hide('PHONE', '7700 900555'),
    keep: ['forgot'],
  },
  {
    text: 'You can reach my work on 0113 496 0999 ext 2',
    hide: hide('PHONE', '0113 496 0999'),
    keep: ['ext 2'],
  },
  // Public numbers the adviser gives out stay
  {
    text: 'if you need to talk now childline is 0800 1111 and samaritans are on 116 123',
    hide: [],
    keep: ['0800 1111', '116 123'],
  },
  { text: 'text SHOUT to 85258 any time', hide: [], keep: ['85258'] },
  {
    text: 'the NSPCC helpline is 0808 800 5000 for adults worried about a child',
    hide: [],
    keep: ['0808 800 5000'],
  },
  {
    text: 'I gave her the National Careers Service number 0800 100 900 and Shelter 0808 800 4444',
    hide: [],
    keep: ['0800 100 900', '0808 800 4444'],
  },
  // Email
  {
    text: 'my email is jade.smith2009@gmail.com',
    hide: hide('EMAIL', 'jade.smith2009@gmail.com'),
    keep: ['my email is'],
  },
  {
    text: 'send it to TYLERB_99@HOTMAIL.CO.UK please',
    hide: hide('EMAIL', 'TYLERB_99@HOTMAIL.CO.UK'),
    keep: ['please'],
  },
  {
    text: 'its kayla dot m at hotmail dot com cos it blocks links',
    hide: [...hide('EMAIL', 'm at hotmail dot com'), ...hide('NAME', 'kayla')],
    keep: ['blocks links'],
  },
  {
    text: 'mums email sarah.okafor@outlook.com, mine is ellie-m@icloud.com',
    hide: hide('EMAIL', 'sarah.okafor@outlook.com', 'ellie-m@icloud.com'),
    keep: ['mine is'],
  },
  {
    text: 'email the plan to j.patel+careers@btinternet.com',
    hide: hide('EMAIL', 'j.patel+careers@btinternet.com'),
    keep: ['email the plan'],
  },
  // Postcodes
  { text: 'postcode is rg1 1aa', hide: hide('POSTCODE', 'rg1 1aa'), keep: ['postcode is'] },
  { text: 'we live near B12 3QR now', hide: hide('POSTCODE', 'B12 3QR'), keep: ['we live near'] },
  { text: 'its sw1a1aa lol', hide: hide('POSTCODE', 'sw1a1aa'), keep: ['lol'] },
  { text: 'moved to M14 6HQ in May', hide: hide('POSTCODE', 'M14 6HQ'), keep: ['May'] },
  // Dates of birth
  { text: 'dob 12/03/2010', hide: hide('DATE_OF_BIRTH', '12/03/2010'), keep: ['dob'] },
  {
    text: 'my birthday is 3rd may 2009 so im 17',
    hide: hide('DATE_OF_BIRTH', '3rd may 2009'),
    keep: ['im 17'],
  },
  { text: 'born on 14.07.09', hide: hide('DATE_OF_BIRTH', '14.07.09'), keep: ['born on'] },
  {
    text: 'date of birth: 21-11-2008',
    hide: hide('DATE_OF_BIRTH', '21-11-2008'),
    keep: ['date of birth'],
  },
  {
    text: 'she was born March 2nd 2011',
    hide: hide('DATE_OF_BIRTH', 'March 2nd 2011'),
    keep: ['she was born'],
  },
  {
    text: 'her bday is 9th of june',
    hide: hide('DATE_OF_BIRTH', '9th of june'),
    keep: ['her bday is'],
  },
  {
    text: 'results day is 20 August and college starts in September',
    hide: [],
    keep: ['20 August', 'September'],
  },
  // Identity numbers
  {
    text: 'NI number QQ 12 34 56 C',
    hide: hide('NI_NUMBER', 'QQ 12 34 56 C'),
    keep: ['NI number'],
  },
  {
    text: 'my national insurance is ab123456c i think',
    hide: hide('NI_NUMBER', 'ab123456c'),
    keep: ['i think'],
  },
  {
    text: 'he has JK-48-26-19-A on his letter',
    hide: hide('NI_NUMBER', 'JK-48-26-19-A'),
    keep: ['on his letter'],
  },
  {
    text: 'nhs number 401 023 0010',
    hide: hide('NHS_NUMBER', '401 023 0010'),
    keep: ['nhs number'],
  },
  {
    text: 'her NHS no is 4010309202 if the doctor needs it',
    hide: hide('NHS_NUMBER', '4010309202'),
    keep: ['doctor'],
  },
  {
    text: 'the gp letter said 401-038-8390',
    hide: hide('NHS_NUMBER', '401-038-8390'),
    keep: ['gp letter'],
  },
  { text: 'nhs 943 476 5919', hide: hide('NHS_NUMBER', '943 476 5919'), keep: ['nhs'] },
  { text: 'my ULN is 5123456707', hide: hide('ULN', '5123456707'), keep: ['my ULN is'] },
  {
    text: 'learner number 512 355 6779 from my btec',
    hide: hide('ULN', '512 355 6779'),
    keep: ['btec'],
  },
  {
    text: 'the college wants 5123656846 on the form',
    hide: hide('ULN', '5123656846'),
    keep: ['on the form'],
  },
  { text: 'upn G823201400012', hide: hide('UPN', 'G823201400012'), keep: ['upn'] },
  {
    text: 'pupil number m330400112345 from the school portal',
    hide: hide('UPN', 'm330400112345'),
    keep: ['school portal'],
  },
  {
    text: 'it says B93741051234A on the report',
    hide: hide('UPN', 'B93741051234A'),
    keep: ['on the report'],
  },
  // Handles
  {
    text: 'add me on insta @jadey.x.x',
    hide: hide('HANDLE', '@jadey.x.x'),
    keep: ['add me on insta'],
  },
  { text: 'my snap is tyler_b09', hide: hide('HANDLE', 'tyler_b09'), keep: ['my snap is'] },
  { text: 'tiktok: kaylaaa.dances', hide: hide('HANDLE', 'kaylaaa.dances'), keep: ['tiktok'] },
  {
    text: 'my insta is private so message @k_ahmed_ instead',
    hide: hide('HANDLE', '@k_ahmed_'),
    keep: ['my insta is private'],
  },
  // Addresses
  {
    text: 'i live at 12 acacia avenue',
    hide: hide('ADDRESS', '12 acacia avenue'),
    keep: ['i live at'],
  },
  {
    text: 'address is flat 3, 45 Mill Lane, Reading',
    hide: hide('ADDRESS', 'flat 3, 45 Mill Lane'),
    keep: ['Reading'],
  },
  {
    text: 'we moved to 7b Church Rd last year',
    hide: hide('ADDRESS', '7b Church Rd'),
    keep: ['last year'],
  },
  {
    text: 'im staying on beech grove with my nan',
    hide: hide('ADDRESS', 'beech grove'),
    keep: ['my nan'],
  },
  {
    text: 'college is a 20 minute walk and 2 buses away',
    hide: [],
    keep: ['20 minute walk', '2 buses'],
  },
  { text: 'its a 10 mile drive to the nearest sixth form', hide: [], keep: ['10 mile drive'] },
  // Names after cues, lower case
  { text: 'hi im jade and im in year 11', hide: hide('NAME', 'jade'), keep: ['year 11'] },
  { text: 'my name is tyler brooks', hide: hide('NAME', 'tyler brooks'), keep: ['my name is'] },
  { text: 'its bella here again', hide: hide('NAME', 'bella'), keep: ['here again'] },
  {
    text: 'this is kai, i got grade 4 in maths',
    hide: hide('NAME', 'kai'),
    keep: ['grade 4', 'maths'],
  },
  {
    text: 'my mums called sarah and she thinks i should do a levels',
    hide: hide('NAME', 'sarah'),
    keep: ['a levels'],
  },
  { text: 'my son harry is in Year 10', hide: hide('NAME', 'harry'), keep: ['Year 10'] },
  { text: 'call me liv', hide: hide('NAME', 'liv'), keep: ['call me'] },
  { text: 'i spoke to Mr Okafor about it', hide: hide('NAME', 'Okafor'), keep: ['spoke to'] },
  {
    text: 'miss jones said i could resit in May',
    hide: hide('NAME', 'jones'),
    keep: ['resit', 'May'],
  },
  { text: 'i miss school a bit tbh', hide: [], keep: ['miss school'] },
  {
    text: 'me and chloe want to do hairdressing at college',
    hide: hide('NAME', 'chloe'),
    keep: ['hairdressing'],
  },
  {
    text: 'my friend aisha got into the sixth form',
    hide: hide('NAME', 'aisha'),
    keep: ['sixth form'],
  },
  {
    text: 'Jade Thompson, 15, wants to be a nurse',
    hide: hide('NAME', 'Jade Thompson'),
    keep: ['nurse'],
  },
  {
    text: 'Caller was Mohammed, asking about apprenticeships for his daughter Amira',
    hide: hide('NAME', 'Mohammed', 'Amira'),
    keep: ['apprenticeships'],
  },
  {
    text: 'i will apply in may if i get a 5 in english',
    hide: [],
    keep: ['will', 'may', 'english'],
  },
  { text: 'Reading is where i live and i want to study law', hide: [], keep: ['Reading', 'law'] },
  {
    text: 'I want to do Health and Social Care or Business at level 3',
    hide: [],
    keep: ['Health and Social Care', 'Business', 'level 3'],
  },
  {
    text: 'my brother ryan is NEET and my dad wants him to do an apprenticeship',
    hide: hide('NAME', 'ryan'),
    keep: ['NEET', 'apprenticeship'],
  },
  { text: 'hey its freya', hide: hide('NAME', 'freya'), keep: ['hey'] },
  { text: 'my names declan btw', hide: hide('NAME', 'declan'), keep: ['btw'] },
  { text: 'im ok thanks just stressed about gcses', hide: [], keep: ['ok', 'stressed', 'gcses'] },
  {
    text: 'im tired and i dont know what to do after year 11',
    hide: [],
    keep: ['tired', 'year 11'],
  },
  {
    text: 'Spoke with Grace about grade 6 in science',
    hide: hide('NAME', 'Grace'),
    keep: ['grade 6', 'science'],
  },
  // Schools, nicknames included
  { text: 'i go to oakwood academy', hide: hide('SCHOOL', 'oakwood academy'), keep: ['i go to'] },
  { text: "im at St Mary's, year 11", hide: hide('SCHOOL', "St Mary's"), keep: ['year 11'] },
  { text: 'i go to st marys in town', hide: hide('SCHOOL', 'st marys'), keep: ['in town'] },
  {
    text: 'i go to kingsy lol everyone calls it that',
    hide: hide('SCHOOL', 'kingsy'),
    keep: ['everyone calls it that'],
  },
  { text: 'im at oakers sixth form doing btecs', hide: hide('SCHOOL', 'oakers'), keep: ['btecs'] },
  {
    text: 'He attends Hillside High School and wants to leave',
    hide: hide('SCHOOL', 'Hillside High School'),
    keep: ['wants to leave'],
  },
  { text: 'my old school was rubbish', hide: [], keep: ['old school'] },
  {
    text: 'thinking of going to Reading College for plumbing',
    hide: hide('SCHOOL', 'Reading College'),
    keep: ['plumbing'],
  },
  {
    text: 'she left Ashfield Grammar in year 10',
    hide: hide('SCHOOL', 'Ashfield Grammar'),
    keep: ['year 10'],
  },
  { text: 'i want to go to college next year', hide: [], keep: ['college next year'] },
  {
    text: 'we went to the open evening at Kings College',
    hide: hide('SCHOOL', 'Kings College'),
    keep: ['open evening'],
  },
  // Mixed, as notes and chats read
  {
    text: 'YP (jade) 15, yr 11 at oakwood academy, mum ok for f/u on 07700 900888',
    hide: [
      ...hide('NAME', 'jade'),
      ...hide('SCHOOL', 'oakwood academy'),
      ...hide('PHONE', '07700 900888'),
    ],
    keep: ['yr 11', 'f/u'],
  },
  {
    text: 'hiya its tyler, my email is tyler.b@gmail.com and i live on 22 park road rg2 7ab',
    hide: [
      ...hide('NAME', 'tyler'),
      ...hide('EMAIL', 'tyler.b@gmail.com'),
      ...hide('ADDRESS', '22 park road'),
      ...hide('POSTCODE', 'rg2 7ab'),
    ],
    keep: ['hiya'],
  },
  {
    text: 'parent rang about son Liam (dob 02/05/2010), ULN 5123756913, wants GCSE resits',
    hide: [
      ...hide('NAME', 'Liam'),
      ...hide('DATE_OF_BIRTH', '02/05/2010'),
      ...hide('ULN', '5123756913'),
    ],
    keep: ['GCSE resits'],
  },
  {
    text: 'Given Childline 0800 1111 and agreed mum (Sarah Khan, 07700 900999) will call school',
    hide: [...hide('NAME', 'Sarah Khan'), ...hide('PHONE', '07700 900999')],
    keep: ['0800 1111'],
  },
];
