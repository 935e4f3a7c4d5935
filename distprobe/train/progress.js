// Training progress as data: trainNet hands a ProgressInfo to a sink after every iteration and epoch.
// The sink decides where it goes (the Node entry's terminal bar, a page's chart, nowhere), so the
// trainer itself never touches a stream or `process`.
export {};
