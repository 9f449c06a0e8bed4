// Indexes for the live monitor (server/modules/monitor): the per-activity heatmap reads open tasks
// of one process, the bottleneck table reads tasks completed in a window, the overdue table reads
// open tasks past their due date, the instance list filters by open incidents. Each index covers
// its query's columns, so the counts are read from the index alone at ministry scale.
import { QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.addIndex('tasks', ['processKey', 'status', 'organisationId', 'elementId', 'createdAt', 'dueAt'], { name: 'tasks_monitor_open' });
  await qi.addIndex('tasks', ['processKey', 'completedAt', 'organisationId', 'elementId', 'createdAt', 'status'], { name: 'tasks_monitor_completed' });
  await qi.addIndex('tasks', ['status', 'dueAt', 'organisationId'], { name: 'tasks_status_due' });
  await qi.addIndex('workflow_incidents', ['status', 'instanceId'], { name: 'workflow_incidents_status' });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeIndex('workflow_incidents', 'workflow_incidents_status');
  await qi.removeIndex('tasks', 'tasks_status_due');
  await qi.removeIndex('tasks', 'tasks_monitor_completed');
  await qi.removeIndex('tasks', 'tasks_monitor_open');
}
