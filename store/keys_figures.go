package store

// Keys of the figures: what signpost counts without keeping anything of a
// person. They share the tag {figures}, so that a count and the mark that it
// was made are written in one script.

// synthetic is a STRING set by "signpost demo": the referrals in this Redis
// are made up, and every report says so. It never expires.
func (k keyspace) synthetic() string { return k.prefix + ":{figures}:synthetic" }

// checkinCounts is a HASH of check-in counts: field "<day>|<team>|<measure>"
// (day as 2006-01-02 in the service's time zone; measure sent, answered or
// flag:<reason>), value the count. It holds no person and is kept for the
// anonymous retention period.
func (k keyspace) checkinCounts() string { return k.prefix + ":{figures}:checkins" }

// counted is a STRING marking that an event was counted, so that a repeat
// is not; hash is a keyed hash of the event's id (markName), never the id.
// It expires after countedTTL.
func (k keyspace) counted(hash string) string { return k.prefix + ":{figures}:counted:" + hash }

// ran is a STRING marking that a daily job ran on day, taken by the first
// replica to run it; it expires after three days.
func (k keyspace) ran(job, day string) string { return k.prefix + ":{figures}:ran:" + job + ":" + day }
