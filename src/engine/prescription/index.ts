// Prescriptions (长处方 / 续方 / 审方, issue 14): the pure rules. No I/O, no clock.
export * from './supply';
export * from './renewal';
export * from './review';
export * from './status';
export * from './params';
