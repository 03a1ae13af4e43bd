package store

// Keys of the figures: what signpost counts without keeping anything of a
// person. They share the tag {figures}, so that a count and the mark that it
// was made are written in one script.

// synthetic is a STRING set by "signpost demo": the referrals in this Redis
// are made up, and every report says so. It never expires.
func (k keyspace) synthetic() string { return k.prefix + ":{figures}:synthetic" }
