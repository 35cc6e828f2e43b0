//go:build unix && !linux && !portablefs

package sysfs

// mapPopulate is Linux's MAP_POPULATE; elsewhere pages fault in as touched.
const mapPopulate = 0
