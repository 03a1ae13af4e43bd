// Package safetycase keeps docs/safety honest. Its tests read the hazard
// log and fail when a control names a test that does not exist, or a risk
// rating that the log's own matrix does not give; they read the account of
// personal data and fail when a Redis key that store builds is missing from
// it, or when it lists a key that nothing builds.
package safetycase
