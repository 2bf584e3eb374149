// The helpline's taxonomies: who calls, where a young person is now, barriers,
// English/maths/digital levels. Codes are stored; labels are what advisers read.

export const stageIds = [
  'callerEligibility',
  'startingPoint',
  'barriers',
  'skillsCheck',
  'nextSteps',
  'followUp',
  'transcript',
  'serviceQuestions',
] as const;
export type StageId = (typeof stageIds)[number];

/**
 * The stages of a follow-up interaction (the follow-up variant of the machine):
 * the skills action plan reviewed action by action, the customer's status now
 * beside their status at first contact, and how their circumstances changed.
 */
export const followUpStageIds = ['actionReview', 'statusNow', 'circumstances'] as const;
export type FollowUpStageId = (typeof followUpStageIds)[number];

/** Every stage either variant has: what a record's notes, gaps and timeline may name. */
export const anyStageIds = [...stageIds, ...followUpStageIds] as const;
export type AnyStageId = (typeof anyStageIds)[number];

export const stageLabels: Record<AnyStageId, string> = {
  callerEligibility: 'Caller and eligibility',
  startingPoint: 'Starting point',
  barriers: 'Barriers',
  skillsCheck: 'English, maths and digital',
  nextSteps: 'Next steps',
  followUp: 'Follow-up',
  transcript: 'Transcript',
  serviceQuestions: 'Service questions',
  actionReview: 'Action plan review',
  statusNow: 'Status now',
  circumstances: 'Change in circumstances',
};

/** The stages an out-of-remit contact may close without: the guidance itself. */
export const guidanceStages: readonly StageId[] = [
  'startingPoint',
  'barriers',
  'skillsCheck',
  'nextSteps',
  'followUp',
];

export const callerTypes = [
  'young_person',
  'parent_guardian',
  'teacher',
  'professional',
  'other',
] as const;
export type CallerType = (typeof callerTypes)[number];
export const callerTypeLabels: Record<CallerType, string> = {
  young_person: 'Young person',
  parent_guardian: 'Parent or guardian',
  teacher: 'Teacher',
  professional: 'Other professional',
  other: 'Other',
};

export const currentStatuses = [
  'school',
  'sixth_form',
  'college',
  'apprenticeship',
  'training',
  'employment',
  'neet',
  'other',
  'not_disclosed',
] as const;
export type CurrentStatus = (typeof currentStatuses)[number];
export const currentStatusLabels: Record<CurrentStatus, string> = {
  school: 'School',
  sixth_form: 'Sixth form',
  college: 'College',
  apprenticeship: 'Apprenticeship',
  training: 'Training (not an apprenticeship)',
  employment: 'Employment',
  neet: 'Not in education, employment or training (NEET)',
  other: 'Other',
  not_disclosed: 'Not disclosed',
};

/**
 * The statuses that are education, employment or training. A young person NEET
 * at first contact has left NEET by the follow-up when their status then is one
 * of these; "other" and "not disclosed" are not counted as having left.
 */
export const educationEmploymentOrTraining: readonly CurrentStatus[] = [
  'school',
  'sixth_form',
  'college',
  'apprenticeship',
  'training',
  'employment',
];

/** School year groups the helpline's age range spans (13 to 18). */
export const schoolYears = [7, 8, 9, 10, 11, 12, 13] as const;

export const barrierKinds = [
  'money',
  'transport',
  'caring',
  'health_disability',
  'confidence_wellbeing',
  'housing',
  'qualifications',
  'literacy_numeracy',
  'language',
  'other',
] as const;
export type BarrierKind = (typeof barrierKinds)[number];
export const barrierLabels: Record<BarrierKind, string> = {
  money: 'Money',
  transport: 'Transport',
  caring: 'Caring responsibilities',
  health_disability: 'Health or disability',
  confidence_wellbeing: 'Confidence or wellbeing',
  housing: 'Housing',
  qualifications: 'Qualifications',
  literacy_numeracy: 'Literacy or numeracy',
  language: 'Language',
  other: 'Other',
};

export const skillAreas = ['english', 'maths', 'digital'] as const;
export type SkillArea = (typeof skillAreas)[number];
export const skillAreaLabels: Record<SkillArea, string> = {
  english: 'English',
  maths: 'Maths',
  digital: 'Digital',
};

/** The same areas inside a sentence: English is a proper noun, the others are not. */
export const skillAreaInSentence: Record<SkillArea, string> = {
  english: 'English',
  maths: 'maths',
  digital: 'digital skills',
};

/**
 * Levels an adviser can pick: GCSE 9-1, the old letter grades, Functional
 * Skills, the digital qualifications, still studying, not known. Which of them
 * an area offers is `skillLevelsFor`.
 */
export const skillLevels = [
  'gcse_9',
  'gcse_8',
  'gcse_7',
  'gcse_6',
  'gcse_5',
  'gcse_4',
  'gcse_3',
  'gcse_2',
  'gcse_1',
  'gcse_u',
  'gcse_a_star',
  'gcse_a',
  'gcse_b',
  'gcse_c',
  'gcse_d',
  'gcse_e',
  'gcse_f',
  'gcse_g',
  'fs_entry_1',
  'fs_entry_2',
  'fs_entry_3',
  'fs_level_1',
  'fs_level_2',
  'dfs_entry_3',
  'dfs_level_1',
  'eds_entry_3',
  'eds_level_1',
  'digital_confident',
  'digital_needs_support',
  'studying',
  'not_known',
] as const;
export type SkillLevel = (typeof skillLevels)[number];
export const skillLevelLabels: Record<SkillLevel, string> = {
  gcse_9: 'GCSE grade 9',
  gcse_8: 'GCSE grade 8',
  gcse_7: 'GCSE grade 7',
  gcse_6: 'GCSE grade 6',
  gcse_5: 'GCSE grade 5',
  gcse_4: 'GCSE grade 4',
  gcse_3: 'GCSE grade 3',
  gcse_2: 'GCSE grade 2',
  gcse_1: 'GCSE grade 1',
  gcse_u: 'GCSE grade U',
  gcse_a_star: 'GCSE grade A*',
  gcse_a: 'GCSE grade A',
  gcse_b: 'GCSE grade B',
  gcse_c: 'GCSE grade C',
  gcse_d: 'GCSE grade D',
  gcse_e: 'GCSE grade E',
  gcse_f: 'GCSE grade F',
  gcse_g: 'GCSE grade G',
  fs_entry_1: 'Functional Skills Entry 1',
  fs_entry_2: 'Functional Skills Entry 2',
  fs_entry_3: 'Functional Skills Entry 3',
  fs_level_1: 'Functional Skills Level 1',
  fs_level_2: 'Functional Skills Level 2',
  dfs_entry_3: 'Digital Functional Skills Entry 3',
  dfs_level_1: 'Digital Functional Skills Level 1',
  eds_entry_3: 'Essential Digital Skills Entry 3',
  eds_level_1: 'Essential Digital Skills Level 1',
  digital_confident: 'No qualification: confident with everyday digital tasks',
  digital_needs_support: 'No qualification: needs support with everyday digital tasks',
  studying: 'Still studying',
  not_known: 'Not known',
};

const gcseAndFunctionalSkills = skillLevels.filter(
  (level) => level.startsWith('gcse_') || level.startsWith('fs_'),
);

/**
 * The levels each area offers. English and maths are GCSE grades and
 * Functional Skills; digital skills have no GCSE, but Digital Functional
 * Skills (which replaced Essential Digital Skills from 2023) and, for most
 * young people, no qualification at all, so how they manage is recorded.
 */
export const skillLevelsFor: Record<SkillArea, readonly SkillLevel[]> = {
  english: [...gcseAndFunctionalSkills, 'studying', 'not_known'],
  maths: [...gcseAndFunctionalSkills, 'studying', 'not_known'],
  digital: [
    'dfs_entry_3',
    'dfs_level_1',
    'eds_entry_3',
    'eds_level_1',
    'digital_confident',
    'digital_needs_support',
    'studying',
    'not_known',
  ],
};

export const improvementAnswers = ['yes', 'no', 'unsure'] as const;
export type ImprovementAnswer = (typeof improvementAnswers)[number];

export const safeguardingCategories = [
  'self_harm_suicide',
  'abuse_neglect',
  'exploitation',
  'domestic_abuse',
  'homelessness',
  'bullying',
  'other',
] as const;
export type SafeguardingCategory = (typeof safeguardingCategories)[number];
export const safeguardingCategoryLabels: Record<SafeguardingCategory, string> = {
  self_harm_suicide: 'Self-harm or suicide',
  abuse_neglect: 'Abuse or neglect',
  exploitation: 'Exploitation',
  domestic_abuse: 'Domestic abuse',
  homelessness: 'Homelessness',
  bullying: 'Bullying',
  other: 'Other',
};

export const heardFromOptions = [
  'school',
  'college',
  'parent_family',
  'friend',
  'social_media',
  'search_engine',
  'jobcentre',
  'other',
] as const;
export type HeardFrom = (typeof heardFromOptions)[number];
export const heardFromLabels: Record<HeardFrom, string> = {
  school: 'School',
  college: 'College',
  parent_family: 'Parent or family',
  friend: 'Friend',
  social_media: 'Social media',
  search_engine: 'Search engine',
  jobcentre: 'Jobcentre',
  other: 'Other',
};

/** Quick picks for skipping the service questions; advisers can type their own. */
export const serviceSkipReasons = [
  'Customer short of time',
  'Customer declined',
  'Not appropriate after a safeguarding concern',
];
