/*
 * store_coaching.c: the tables shared by the coaching features -- inquiry
 * questions and their history, coaching cycles, the sessions of a cycle,
 * and the confidential notes of a cycle.  Each feature keeps its queries in
 * its own store_<area>.c; the tables live here because several areas read
 * them (queues and matching read questions; scheduling writes sessions that
 * time caps count and feeds publish).
 *
 * Times are unix seconds (UTC).  Session dates and minutes are local to the
 * district time zone, because school periods are wall-clock times: a 9:05
 * period stays at 9:05 across a daylight-saving change.
 */
#include "store.h"

static const struct store_migration coaching_steps[] = {
	{ 1,
	"CREATE TABLE questions ("
	"  id INTEGER PRIMARY KEY,"
	"  teacher TEXT NOT NULL REFERENCES teachers(id),"
	"  text TEXT NOT NULL,"
	"  topic TEXT,"			/* taxonomy topic id; NULL until chosen */
	"  area TEXT,"			/* expertise area of the topic (queue) */
	"  state TEXT NOT NULL CHECK (state IN ('submitted','queued',"
	"    'assigned','in-cycle','closed','withdrawn')),"
	"  coach TEXT REFERENCES coaches(id),"	/* set from 'assigned' on */
	"  class TEXT,"			/* class the question is about, if any */
	"  priority_base INTEGER NOT NULL DEFAULT 0,"
	"  submitted_by TEXT NOT NULL,"
	"  submitted_at INTEGER NOT NULL,"
	"  queued_at INTEGER,"
	"  assigned_at INTEGER,"
	"  closed_at INTEGER,"
	"  outcome TEXT"		/* closing outcome, visible like the text */
	");"
	"CREATE INDEX questions_teacher ON questions(teacher, state);"
	"CREATE INDEX questions_queue ON questions(state, area);"
	"CREATE INDEX questions_coach ON questions(coach, state);"
	/* Every transition, with who and when. */
	"CREATE TABLE question_events ("
	"  id INTEGER PRIMARY KEY,"
	"  question INTEGER NOT NULL REFERENCES questions(id),"
	"  from_state TEXT,"
	"  to_state TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  note TEXT"
	");"
	"CREATE INDEX question_events_q ON question_events(question, id);"
	/* A coaching cycle: meeting, observation, debrief for one question. */
	"CREATE TABLE cycles ("
	"  id INTEGER PRIMARY KEY,"
	"  question INTEGER REFERENCES questions(id),"
	"  coach TEXT NOT NULL REFERENCES coaches(id),"
	"  teacher TEXT NOT NULL REFERENCES teachers(id),"
	"  model TEXT NOT NULL DEFAULT 'embedded',"
	"  state TEXT NOT NULL CHECK (state IN ('planned','scheduled',"
	"    'unplaceable','done','cancelled')),"
	"  reason TEXT,"		/* why it could not be placed */
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE INDEX cycles_coach ON cycles(coach, state);"
	"CREATE INDEX cycles_teacher ON cycles(teacher, state);"
	/*
	 * One calendar slot.  uid is the iCalendar UID: assigned once, never
	 * reused.  sequence rises on every change of time or place and on
	 * cancellation, as RFC 5545 requires for calendar clients to notice.
	 */
	"CREATE TABLE sessions ("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  cycle INTEGER REFERENCES cycles(id),"
	"  kind TEXT NOT NULL,"		/* meeting, observation, debrief, ... */
	"  coach TEXT NOT NULL REFERENCES coaches(id),"
	"  teacher TEXT NOT NULL REFERENCES teachers(id),"
	"  school TEXT NOT NULL REFERENCES schools(id),"
	"  room TEXT,"
	"  class TEXT,"			/* observed class, if any */
	"  date TEXT NOT NULL,"		/* YYYY-MM-DD, district local */
	"  period TEXT,"		/* bell-schedule period name */
	"  start_min INTEGER NOT NULL,"	/* minutes after local midnight */
	"  end_min INTEGER NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('requested','proposed',"
	"    'confirmed','declined','cancelled')),"
	"  sequence INTEGER NOT NULL DEFAULT 0,"
	"  initiated_by TEXT NOT NULL CHECK (initiated_by IN ('teacher',"
	"    'coach','admin','scheduler')),"
	"  published INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  modified_at INTEGER NOT NULL,"
	"  cancelled_at INTEGER,"
	"  CHECK (end_min > start_min)"
	");"
	"CREATE INDEX sessions_coach ON sessions(coach, date);"
	"CREATE INDEX sessions_teacher ON sessions(teacher, date);"
	"CREATE INDEX sessions_school ON sessions(school, date);"
	"CREATE INDEX sessions_cycle ON sessions(cycle);"
	/*
	 * Confidential: readable only by the coach and the teacher of the
	 * cycle.  No report, feed, export or log statement may select from
	 * this table; store_note.c is its only reader.  body holds the
	 * text sealed with AES-256-GCM (a BLOB, docs/security.md) since
	 * step 4; an older plaintext body is sealed on the first start.
	 */
	"CREATE TABLE cycle_notes ("
	"  id INTEGER PRIMARY KEY,"
	"  cycle INTEGER NOT NULL REFERENCES cycles(id),"
	"  author TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  body TEXT NOT NULL"
	");"
	"CREATE INDEX cycle_notes_cycle ON cycle_notes(cycle, id);"
	},
	{ 2,
	/* An admin's boost (docs/queues.md): who set it and when; NULL when
	   the question is not boosted.  Each change is a question_event. */
	"ALTER TABLE questions ADD COLUMN boosted_by TEXT;"
	"ALTER TABLE questions ADD COLUMN boosted_at INTEGER;"
	},
	{ 3,
	/* The coaching model a question's cycles follow ([schedule]
	   model_*); NULL = the district's default_model.  Copied into
	   cycles.model when a cycle is created. */
	"ALTER TABLE questions ADD COLUMN model TEXT;"
	},
	{ 4,
	/* Which key seals cycle_notes.body (store_note.c): its id only,
	   never the key.  No row until the first start with a key. */
	"CREATE TABLE note_seal ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  key_id TEXT NOT NULL,"
	"  sealed_at INTEGER NOT NULL"
	");"
	},
};

const struct store_schema store_coaching_schema = {
	"coaching", coaching_steps,
	sizeof(coaching_steps) / sizeof(coaching_steps[0])
};
