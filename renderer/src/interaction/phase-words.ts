// What the heading of an interaction screen says of its phase, live and in replay alike.
export const phaseWords = {
  idle: 'Waiting',
  ringing: 'Ringing',
  live: 'Connected',
  onHold: 'On hold',
  wrapUp: 'Wrap-up',
  completed: 'Completed',
  missed: 'Missed',
} as const;
