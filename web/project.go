package web

// projectPaths are the routes of this area.
var projectPaths = map[string][2]string{}

// projectRoutes registers the pages and actions of this area.
func (s *Server) projectRoutes(handle, post func(name string, h handlerFunc)) {}
