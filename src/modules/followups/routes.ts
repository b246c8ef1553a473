import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STORED_URGENT_SIGN_CODES, URGENT_SIGN_CODES } from '../../engine/followup/urgentSigns';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { LANG_PARAM_VALUES, languageOf } from '../../core/language';
import { chart, myFollowups, myReminders, recordHealthCheck } from './service';
import { listVisits, recordVisit } from './visits';
import { WORKLISTS, worklist, worklistCsv } from './worklist';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const idParams = z.strictObject({ id: z.uuid() });

const classification = z.enum(['satisfactory', 'unsatisfactory', 'adverse_reaction', 'complication']);
const action = z.enum(['routine', 'adjust_recheck', 'refer_and_check', 'urgent_referral']);
const mode = z.enum(['clinic', 'home', 'phone', 'online']);
// plausibility (ranges, diastolic < systolic, integer tenths) is the engine's, so its errors name field and rule
const reading = z.number().nullish();
const readingsInput = z.strictObject({
  systolic: reading.describe('mmHg'), diastolic: reading.describe('mmHg'), heartRate: reading.describe('beats/min'),
  weightTenthsKg: reading.describe('0.1 kg: 652 = 65.2 kg'), heightTenthsCm: reading.describe('0.1 cm: 1705 = 170.5 cm'),
  fastingGlucoseTenths: reading.describe('0.1 mmol/L: 70 = 7.0 mmol/L'), hba1cTenths: reading.describe('0.1 %: 65 = 6.5 %'),
});

const visitBody = z.strictObject({
  visitDate: z.iso.date().optional().describe('today (Asia/Shanghai) by default; never in the future'),
  diseases: z.array(z.enum(['hypertension', 'diabetes'])).min(1).max(2).describe('the national forms this visit fills in'),
  mode,
  symptoms: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  readings: readingsInput,
  lifestyle: z.strictObject({
    smokingPerDay: z.int().min(0).max(100).nullish(),
    drinkingMlPerDay: z.int().min(0).max(3000).nullish(),
    exercisePerWeek: z.int().min(0).max(21).nullish(),
    exerciseMinutes: z.int().min(0).max(600).nullish(),
    saltIntake: z.enum(['light', 'moderate', 'heavy']).nullish(),
    stapleFoodGPerDay: z.int().min(0).max(2000).nullish(),
    mentalState: z.enum(['good', 'fair', 'poor']).nullish(),
    adherence: z.enum(['regular', 'intermittent', 'none']).nullish(),
  }).optional(),
  drugs: z.array(z.strictObject({ name: z.string().trim().min(1).max(60), dose: z.string().trim().max(40).optional(), frequency: z.string().trim().max(20).optional() })).max(20).optional(),
  adverseReaction: z.enum(['none', 'present', 'hard_to_control']).optional(),
  adverseReactionNote: z.string().trim().max(200).optional(),
  complication: z.enum(['none', 'new_or_worse']).optional().describe('only a NEW or WORSENED complication'),
  urgentSigns: z.array(z.enum(URGENT_SIGN_CODES)).max(URGENT_SIGN_CODES.length).optional()
    .describe('the danger signs found (危急情况, the national specification\'s lists); any one → urgent referral'),
  referralAdvice: z.string().trim().max(200).optional(),
  note: z.string().trim().max(1000).optional(),
  override: z.strictObject({
    classification: classification.optional(),
    nextVisitDate: z.iso.date().optional(),
    reason: z.string().max(200).optional().describe('required'),
  }).optional().describe("the doctor's override of the rules' classification and/or next date, with a reason"),
});

const readingsOut = z.object({
  systolic: z.number().nullable(), diastolic: z.number().nullable(), heartRate: z.number().nullable(), weightTenthsKg: z.number().nullable(),
  heightTenthsCm: z.number().nullable(), bmiTenths: z.number().nullable(), fastingGlucoseTenths: z.number().nullable(), hba1cTenths: z.number().nullable(),
});

const visitSchema = z.object({
  id: z.uuid(),
  visitDate: z.iso.date(),
  diseases: z.array(z.string()),
  mode,
  symptoms: z.array(z.string()),
  readings: readingsOut,
  lifestyle: z.object({
    smokingPerDay: z.number().nullable(), drinkingMlPerDay: z.number().nullable(), exercisePerWeek: z.number().nullable(), exerciseMinutes: z.number().nullable(),
    saltIntake: z.string().nullable(), stapleFoodGPerDay: z.number().nullable(), mentalState: z.string().nullable(), adherence: z.string().nullable(),
  }),
  drugs: z.array(z.object({ name: z.string(), dose: z.string().optional(), frequency: z.string().optional() })),
  adverseReaction: z.string(),
  adverseReactionNote: z.string().nullable(),
  complication: z.string(),
  urgentSigns: z.array(z.enum(STORED_URGENT_SIGN_CODES)).describe("'unspecified': recorded with the one checkbox there was before the signs were listed"),
  rules: z.object({
    classification, action, nextVisitDate: z.iso.date(),
    perDisease: z.array(z.object({ disease: z.string(), classification, action, nextVisitDate: z.iso.date() })),
    reasons: z.array(z.object({ code: z.string(), text: z.string() })),
  }).describe('what the rules computed'),
  override: z.object({ classification: classification.nullable(), nextVisitDate: z.iso.date().nullable(), reason: z.string() }).nullable(),
  classification,
  action,
  nextVisitDate: z.iso.date(),
  referralAdvice: z.string().nullable(),
  note: z.string().nullable(),
  recordedBy: z.string().nullable(),
  teamId: z.uuid().nullable(),
  createdAt: z.string(),
}).meta({ id: 'FollowupVisit' });

const nextVisitSchema = z.object({ dueDate: z.iso.date(), state: z.enum(['due_this_week', 'overdue', 'not_due']), daysOverdue: z.int(), daysUntilDue: z.int() }).nullable();
const seriesSchema = z.object({
  bp: z.array(z.object({ date: z.iso.date(), systolic: z.int(), diastolic: z.int() })),
  glucose: z.array(z.object({ date: z.iso.date(), fastingGlucoseTenths: z.int().nullable(), hba1cTenths: z.int().nullable() })),
});
const targetsSchema = z.object({ bp: z.object({ systolicBelow: z.int(), diastolicBelow: z.int() }), fastingGlucoseTenthsBelow: z.int() });
const managementSchema = z.array(z.object({
  disease: z.string(), year: z.int(), followUps: z.int(), faceToFaceFollowUps: z.int(), required: z.int(), lastVisitDate: z.iso.date().nullable(),
  lastControlled: z.boolean().nullable(), lastControlledDate: z.iso.date().nullable(), annualCheckDone: z.boolean(), standardised: z.boolean(),
}));
const reminderSchema = z.object({ id: z.int(), kind: z.enum(['due_soon', 'overdue']), dueDate: z.iso.date(), channel: z.string(), status: z.string(), message: z.string(), createdAt: z.string() });
const healthCheckSchema = z.object({
  id: z.uuid(), checkDate: z.iso.date(),
  readings: readingsOut.extend({ waistTenthsCm: z.number().nullable() }),
  labs: z.object({ totalCholesterolTenths: z.number().nullable(), ldlTenths: z.number().nullable(), creatinineUmol: z.number().nullable() }),
  ecg: z.string().nullable(), fundus: z.string().nullable(), findings: z.string().nullable(),
}).meta({ id: 'HealthCheck' });

const importedReadingSchema = z.object({
  kind: z.enum(['blood_pressure', 'glucose', 'fasting_glucose', 'hba1c', 'weight', 'height', 'bmi', 'heart_rate']),
  date: z.iso.date(),
  value: z.int().describe('blood pressure: systolic mmHg; heart rate: beats/min; glucose, fasting glucose (mmol/L), HbA1c (%), weight (kg), height (cm), BMI: in tenths'),
  value2: z.int().nullable().describe('blood pressure: diastolic mmHg; null for the other kinds'),
  sourceSystem: z.string().describe('the source system: the system of the Patient identifier the import matched the person by'),
}).meta({ id: 'ImportedReading' });
const outsideMedicationSchema = z.object({
  text: z.string().describe("the hospital's own wording"),
  drugCode: z.string().nullable().describe('the catalogue drug it maps to; null: not mapped'),
  drugName: z.string().nullable().describe("the catalogue drug's generic name; null when not mapped"),
  status: z.string().describe('the MedicationRequest status (active, stopped, completed …)'),
  authoredOn: z.iso.date().nullable(),
  sourceSystem: z.string().describe('the source system: the system of the Patient identifier the import matched the person by'),
}).meta({ id: 'OutsideMedication' });

const chartSchema = z.object({
  person: z.object({ id: z.uuid(), name: z.string(), sex: z.string(), birthDate: z.iso.date(), age: z.int(), idNumber: z.string(), phone: z.string().nullable(), region: z.object({ code: z.string(), name: z.string() }) }),
  conditions: z.array(z.object({
    code: z.string(), name: z.string(), diagnosedOn: z.iso.date(),
    source: z.enum(['screening', 'follow_up', 'hospital', 'self_report', 'import']).describe("where the diagnosis came from; 'import': a hospital's FHIR Condition"),
  })),
  contract: z.object({ id: z.uuid(), team: z.object({ id: z.uuid(), name: z.string() }), startDate: z.iso.date(), endDate: z.iso.date() }).nullable(),
  registrations: z.array(z.object({ disease: z.string(), name: z.string(), effectiveFrom: z.iso.date(), effectiveTo: z.iso.date().nullable() })),
  riskFlags: z.array(z.string()),
  targets: targetsSchema,
  series: seriesSchema,
  visits: z.array(visitSchema),
  healthChecks: z.array(healthCheckSchema),
  prescription: z.array(z.object({ lineNo: z.int(), drugCode: z.string(), drugName: z.string(), strength: z.string(), dose: z.string(), frequency: z.string(), daysSupply: z.int(), dispensing: z.string(), pharmacyId: z.string().nullable(), pharmacyName: z.string().nullable() })),
  reminders: z.array(reminderSchema),
  nextVisit: nextVisitSchema,
  management: managementSchema,
  importedReadings: z.array(importedReadingSchema)
    .describe("hospitals' readings (FHIR import), latest first, at most the last 50; not follow-up visits: in neither `series` nor `management`"),
  outsideMedications: z.array(outsideMedicationSchema).describe('the outside medication list (FHIR import), latest authored first'),
}).meta({ id: 'FollowupChart' });

const worklistQuery = z.strictObject({
  list: z.enum(WORKLISTS),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export function followupRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // the daily reminder job is started by the server assembly (src/server/app.ts), not here

    app.post('/api/people/:id/followups', {
      schema: {
        tags: ['followups'],
        summary: 'Record a follow-up visit (随访); the rules classify it and set the next visit date, which the doctor may override with a reason',
        params: idParams, body: visitBody, response: { 201: visitSchema, ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await recordVisit(ctx, actorOf(request), request.params.id, request.body)),
    });

    app.get('/api/people/:id/followups', {
      schema: { tags: ['followups'], summary: "A patient's follow-up visits, latest first", params: idParams, response: { 200: z.array(visitSchema), ...errors } },
      handler: async (request) => listVisits(ctx, actorOf(request), request.params.id),
    });

    app.post('/api/people/:id/health-checks', {
      schema: {
        tags: ['followups'],
        summary: 'Record the annual health check (年度健康体检)',
        params: idParams,
        body: z.strictObject({
          checkDate: z.iso.date().optional(),
          readings: readingsInput.extend({ waistTenthsCm: reading.describe('0.1 cm') }),
          labs: z.strictObject({ totalCholesterolTenths: z.int().min(5).max(300).nullish(), ldlTenths: z.int().min(2).max(200).nullish(), creatinineUmol: z.int().min(10).max(2000).nullish() }).optional(),
          ecg: z.enum(['normal', 'abnormal', 'not_done']).optional(),
          fundus: z.enum(['normal', 'abnormal', 'not_done']).optional(),
          findings: z.string().trim().min(1).max(1000).optional().describe('omit when there is nothing to note'),
        }),
        response: { 201: healthCheckSchema, ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await recordHealthCheck(ctx, actorOf(request), request.params.id, request.body)),
    });

    app.get('/api/people/:id/chart', {
      schema: {
        tags: ['followups'],
        summary: "The patient's chart: header, BP and glucose series with targets, visits, prescription, reminders, management status for the year, and what hospitals sent (imported readings and outside medication)",
        params: idParams, response: { 200: chartSchema, ...errors },
      },
      handler: async (request) => chart(ctx, actorOf(request), request.params.id),
    });

    app.get('/api/team/worklist', {
      schema: {
        tags: ['followups'],
        summary: "The team's follow-up worklist, most urgent first: due this week, overdue, not seen this quarter, uncontrolled, referral pending",
        querystring: worklistQuery,
        response: {
          200: z.object({
            list: z.enum(WORKLISTS), today: z.iso.date(), total: z.int(),
            items: z.array(z.object({
              person: z.object({ id: z.uuid(), name: z.string(), sex: z.string(), age: z.int(), idNumber: z.string(), phone: z.string().nullable() }),
              diseases: z.array(z.string()),
              lastVisitDate: z.iso.date().nullable(), lastClassification: classification.nullable(), lastAction: action.nullable(), lastControlled: z.boolean().nullable(),
              dueDate: z.iso.date(), dueState: z.enum(['due_this_week', 'overdue', 'not_due']), daysOverdue: z.int(), daysUntilDue: z.int(),
            })),
          }),
          ...errors,
        },
      },
      handler: async (request) => worklist(ctx, actorOf(request), request.query),
    });

    app.get('/api/team/worklist.csv', {
      schema: {
        tags: ['followups'],
        summary: 'The worklist as CSV (UTF-8 with BOM, for Excel): Chinese headers and labels unless English is asked for',
        querystring: z.strictObject({
          list: z.enum(WORKLISTS),
          lang: z.enum(LANG_PARAM_VALUES).optional().describe('headers and labels; by default from Accept-Language, Chinese unless English'),
        }),
      },
      handler: async (request, reply) => {
        const csv = await worklistCsv(ctx, actorOf(request), request.query.list, languageOf(request, request.query.lang));
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="worklist-${request.query.list}.csv"`).send(csv);
      },
    });

    app.get('/api/people/me/followups', {
      schema: {
        tags: ['followups'], summary: "A patient's own readings and next visit",
        response: {
          200: z.object({
            targets: targetsSchema, nextVisit: nextVisitSchema, series: seriesSchema,
            visits: z.array(z.object({
              visitDate: z.iso.date(), mode, diseases: z.array(z.string()), systolic: z.int().nullable(), diastolic: z.int().nullable(), heartRate: z.int().nullable(),
              fastingGlucoseTenths: z.int().nullable(), hba1cTenths: z.int().nullable(), classification, nextVisitDate: z.iso.date(),
            })),
            management: managementSchema,
          }),
          ...errors,
        },
      },
      handler: async (request) => myFollowups(ctx, actorOf(request)),
    });

    app.get('/api/people/me/reminders', {
      schema: { tags: ['followups'], summary: 'Reminders sent to the patient', response: { 200: z.array(reminderSchema), ...errors } },
      handler: async (request) => myReminders(ctx, actorOf(request)),
    });
  };
}
