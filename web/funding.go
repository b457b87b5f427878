package web

// fundingPaths are the routes of this area.
var fundingPaths = map[string][2]string{}

// fundingRoutes registers the pages and actions of this area.
func (s *Server) fundingRoutes(handle, post func(name string, h handlerFunc)) {}
