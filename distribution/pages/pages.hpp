#pragma once
// The operator pages (server-rendered; readable without JavaScript).

namespace headroom::distribution {

class router;
struct app_context;

void add_auth_pages(router& r, app_context& app);
void add_warning_pages(router& r, app_context& app);
void add_schedule_pages(router& r, app_context& app);
void add_history_pages(router& r, app_context& app);

}  // namespace headroom::distribution
