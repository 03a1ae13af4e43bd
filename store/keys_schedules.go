package store

// Keys of the check-in schedules.
//
// The queues and the enrolments of everybody share the hash tag {sched}, not
// the person's: one claim must look at every person due, atomically, and a
// script may only touch keys of one cluster slot. The cost is that all
// scheduling lives on one node of a cluster, which its volume (a few writes a
// second for a million people) allows. A person's check-in history is theirs
// alone and so carries their tag, which also lets the person-wide erasure
// find it.

// schedEnrol is a HASH: field the user id in decimal, value the enrolment in
// its short form (see encodeEnrolment), about a dozen bytes. A HASH field is
// cheaper than a key of its own, which would add a keyspace entry and an
// object header per person.
func (k keyspace) schedEnrol() string { return k.prefix + ":{sched}:enrol" }

// schedDue is a ZSET of the queued check-ins: member the bare user id in
// decimal, score the Unix milliseconds of the person's next check-in. A
// person has at most one member; none while stopped, blocked or being sent.
func (k keyspace) schedDue() string { return k.prefix + ":{sched}:due" }

// schedLeased is a ZSET of the check-ins being sent: member
// "<user id>:<scheduled Unix ms>", score the Unix milliseconds at which the
// lease runs out and the check-in goes back to schedDue.
func (k keyspace) schedLeased() string { return k.prefix + ":{sched}:leased" }

// remindDue is a ZSET of the queued reminders of unfinished self-referrals,
// laid out as schedDue.
func (k keyspace) remindDue() string { return k.prefix + ":{sched}:remind" }

// remindLeased is a ZSET of the reminders being sent, laid out as schedLeased.
func (k keyspace) remindLeased() string { return k.prefix + ":{sched}:remind:leased" }

// checkins is a ZSET of the person's check-in history: score the scheduled
// Unix milliseconds of the check-in, member the entry as compact JSON (which
// holds the same instant, so that no two entries are ever the same member).
// Trimmed to the newest entries on every write; expires after the retention
// period from the last write.
func (k keyspace) checkins(user int64) string { return k.person(user) + "checkins" }
