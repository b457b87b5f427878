package web

// networkPaths are the routes of this area.
var networkPaths = map[string][2]string{}

// networkRoutes registers the pages and actions of this area.
func (s *Server) networkRoutes(handle, post func(name string, h handlerFunc)) {}
