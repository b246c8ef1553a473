/** The two diseases the national follow-up forms are for. */
export type Disease = 'hypertension' | 'diabetes';
