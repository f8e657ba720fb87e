package preferences

// StayRepo keeps rooms, arrivals and stays.
type StayRepo interface {
}
