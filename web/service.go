package web

// servicePaths are the routes of this area.
var servicePaths = map[string][2]string{}

// serviceRoutes registers the pages and actions of this area.
func (s *Server) serviceRoutes(handle, post func(name string, h handlerFunc)) {}
